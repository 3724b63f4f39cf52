"""Messages the templates look up by a value (a field key, an action, a position), marked here
so that `pybabel extract -k N_` puts them in the catalogs."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


FIELDS = (
    N_("employees"),
    N_("st_staff"),
    N_("rd_staff"),
    N_("revenue"),
    N_("main_business_revenue"),
    N_("hitech_revenue"),
    N_("rd_expense"),
    N_("rd_expense_domestic"),
    N_("total_cost"),
    N_("net_profit"),
    N_("total_assets"),
    N_("total_liabilities"),
    N_("export_revenue"),
    N_("equity_financing"),
    N_("class1_ip"),
    N_("class1_ip_high_value"),
    N_("class1_ip_self_developed"),
    N_("class2_ip"),
    N_("conversions"),
    N_("standards_led"),
    N_("niche_market_share"),
    N_("global_rank"),
    N_("digital_level"),
    N_("major_incident"),
    N_("dishonest_listed"),
)
POSITIONS = (N_("upstream"), N_("midstream"), N_("downstream"))
LEVELS = (N_("none"), N_("municipal"), N_("provincial"), N_("national"))
ACTIONS = (
    N_("login"),
    N_("logout"),
    N_("lockout"),
    N_("token_issued"),
    N_("access_refused"),
    N_("read_figures"),
    N_("import"),
    N_("export"),
    N_("account_created"),
    N_("role_changed"),
    N_("account_changed"),
    N_("token_revoked"),
    N_("record_created"),
    N_("record_edited"),
    N_("record_withdrawn"),
    N_("published"),
    N_("gate_moved"),
    N_("challenge_step"),
    N_("coi_declared"),
    N_("scored"),
    N_("awarded"),
    N_("programme_step"),
)
RESULTS = (N_("success"), N_("failure"), N_("refused"))
NAV = (
    N_("Overview"),
    N_("Registry"),
    N_("Cultivation"),
    N_("Technology market"),
    N_("Incubation"),
    N_("Finance"),
    N_("Indicators"),
    N_("Foresight"),
    N_("Reports"),
    N_("My workspace"),
    N_("Tier self-check"),
    N_("Administration"),
)
CHARTS = (
    N_("Enterprises"),
    N_("Revenue, R&D and profit (10k yuan)"),
    N_("Employees and R&D staff"),
)
