"""The parties and viewers of the market's integration tests."""

from __future__ import annotations

from datetime import date

from fourchain.domain.accounts import Role
from fourchain.domain.market import Party, PartyKind, Viewer

TODAY = date(2025, 5, 1)
ENT_A = Party(PartyKind.ENTERPRISE, "91350200MA00000011")
ENT_B = Party(PartyKind.ENTERPRISE, "91350200MA00000022")
XMU = Party(PartyKind.INSTITUTION, "XMU")
IUE = Party(PartyKind.INSTITUTION, "IUE")
JML = Party(PartyKind.INSTITUTION, "JML")

ADMIN = Viewer(Role.BUREAU_ADMIN)
ANALYST = Viewer(Role.BUREAU_ANALYST)
PUBLIC = Viewer()
USER_A = Viewer(Role.ENTERPRISE_USER, ENT_A)
USER_B = Viewer(Role.ENTERPRISE_USER, ENT_B)
USER_XMU = Viewer(Role.INSTITUTION_USER, XMU)
USER_IUE = Viewer(Role.INSTITUTION_USER, IUE)
USER_JML = Viewer(Role.INSTITUTION_USER, JML)
