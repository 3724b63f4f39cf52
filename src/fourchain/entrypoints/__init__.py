"""Entry points: the CLI and the web app. Thin: parse, call one service, map the result."""
