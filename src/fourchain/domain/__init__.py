"""The pure domain: entities, rules and state machines. Standard library only."""
