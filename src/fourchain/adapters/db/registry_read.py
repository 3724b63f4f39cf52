"""Registry reads for the pages and the API: directory search, profiles, dashboard series."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    and_,
    distinct,
    exists,
    func,
    inspect,
    or_,
    select,
    union,
)

from fourchain.adapters.db.data_version import data_version
from fourchain.adapters.db.find_search import rare_piece, words_contain
from fourchain.adapters.db.name_search import code_starts_with
from fourchain.adapters.db.registry_repo import SqlRegistryCounts
from fourchain.adapters.db.tables import (
    certificates,
    chain_links,
    chains,
    clusters,
    enterprise_years,
    enterprises,
    institutions,
    patents,
)
from fourchain.domain.registry import (
    Certificate,
    EnterpriseYear,
    Institution,
    InstitutionKind,
    Tier,
    year_end,
)
from fourchain.services.caching import Memo
from fourchain.services.finding import FoundKind
from fourchain.services.ports import RegistryCounts
from fourchain.services.registry_views import (
    CHAIN_MEMBERS,
    ChainView,
    DirectoryQuery,
    EnterpriseIdentity,
    EnterpriseRow,
    InstitutionQuery,
    InstitutionRow,
    LinkView,
)


def _held_on(day: date) -> Any:
    c = certificates.c
    return and_(c.issued <= day, c.expires >= day, or_(c.revoked.is_(None), c.revoked > day))


def _nulls_last(column: Any) -> list[Any]:
    """Empty values after the rest in either direction (a NOT NULL column needs no term, and
    keeps an index on it usable for the order)."""
    return [column.is_(None)] if column.nullable else []


# How many directory counts are kept (each a query's filters at one data version).
COUNTS_KEPT = 256


class SqlRegistryReader:
    """The read port of services.registry_views over one engine."""

    def __init__(self, engine: Engine, district: str | None = None) -> None:
        self.engine = engine
        self.district = district
        self.dialect = engine.dialect.name
        # A directory query's total, per data version: every page of a query (and every
        # sort) shares one count, and any committed write, by any process, starts afresh.
        self._counts: Memo[tuple[object, ...], int] = Memo(COUNTS_KEPT)

    def _count(
        self, connection: Connection, counted: Select[Any], q: DirectoryQuery, day: date
    ) -> int:
        version = connection.scalar(select(data_version.c.version).where(data_version.c.id == 1))
        if version is None:  # no stamp (a database made without the migrations): count
            return int(connection.scalar(counted) or 0)
        key = (int(version), q.query, q.cluster, q.district, q.tier, q.link, day)
        return self._counts.get(key, lambda: int(connection.scalar(counted) or 0))

    # --- enterprises
    def _directory_filter(
        self, query: Select[Any], q: DirectoryQuery, day: date, by_pieces: bool
    ) -> Select[Any]:
        e = enterprises.c
        if q.query:
            text = q.query.strip()
            query = query.where(
                or_(
                    words_contain(
                        FoundKind.ENTERPRISE,
                        text,
                        self.dialect,
                        by_pieces=by_pieces,
                    ),
                    code_starts_with(e.credit_code, text.upper()),
                )
            )
        if q.cluster:
            query = query.where(e.cluster == q.cluster)
        if q.link:
            query = query.where(e.chain_link == q.link)
        if q.district:
            query = query.where(e.district == q.district)
        if q.tier:
            c = certificates.c
            query = query.where(
                exists().where(c.credit_code == e.credit_code, c.tier == q.tier, _held_on(day))
            )
        return query

    def search_enterprises(
        self, q: DirectoryQuery, day: date, offset: int, limit: int
    ) -> tuple[list[EnterpriseRow], int]:
        e = enterprises.c
        rare = rare_piece(self.engine, q.query.strip())
        counted = self._directory_filter(
            select(func.count()).select_from(enterprises), q, day, rare
        )
        listed = self._directory_filter(
            select(e.credit_code, e.name, e.district, e.cluster, e.founded), q, day, rare
        )
        column = {
            "name": e.name,
            "credit_code": e.credit_code,
            "district": e.district,
            "cluster": e.cluster,
            "founded": e.founded,
        }[q.sort]
        first = column.desc() if q.descending else column.asc()
        # empty values last either way, then a stable tie-break, as both databases order them;
        # the name is not repeated after itself (SQLite then sorts every row in a temporary
        # B-tree instead of walking the name index)
        ties = [key for key in (e.name, e.credit_code) if key is not column]
        listed = listed.order_by(*_nulls_last(column), first, *ties).offset(offset).limit(limit)
        with self.engine.connect() as connection:
            total = self._count(connection, counted, q, day)
            rows = connection.execute(listed).all()
            codes = [row.credit_code for row in rows]
            tiers: dict[str, list[str]] = {code: [] for code in codes}
            if codes:
                c = certificates.c
                held = connection.execute(
                    select(c.credit_code, c.tier)
                    .where(c.credit_code.in_(codes), _held_on(day))
                    .distinct()
                )
                for code, tier in held:
                    tiers[code].append(tier)
        order = {tier.value: i for i, tier in enumerate(Tier)}
        return [
            EnterpriseRow(
                credit_code=row.credit_code,
                name=row.name,
                district=row.district,
                cluster=row.cluster,
                founded=row.founded,
                tiers=tuple(sorted(tiers[row.credit_code], key=lambda t: order.get(t, 99))),
            )
            for row in rows
        ], total

    def enterprise(self, credit_code: str) -> EnterpriseIdentity | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(enterprises).where(enterprises.c.credit_code == credit_code)
            ).first()
            if row is None:
                return None
            fields = dict(row._mapping)
            patent_count = connection.scalar(
                select(func.count()).where(patents.c.holder_credit_code == credit_code)
            )
        return EnterpriseIdentity(**fields, patents=int(patent_count or 0))

    def certificates_of(self, credit_code: str) -> list[Certificate]:
        c = certificates.c
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(c.tier, c.issued, c.expires, c.number, c.issuer, c.revoked)
                .where(c.credit_code == credit_code)
                .order_by(c.issued, c.tier)
            ).all()
        return [
            Certificate(
                credit_code, Tier(r.tier), r.issued, r.expires, r.number, r.issuer, r.revoked
            )
            for r in rows
        ]

    def years_of(self, credit_code: str) -> list[EnterpriseYear]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(enterprise_years)
                .where(enterprise_years.c.credit_code == credit_code)
                .order_by(enterprise_years.c.year)
            ).all()
        return [EnterpriseYear(**dict(row._mapping)) for row in rows]

    def year_of(self, credit_code: str, year: int) -> EnterpriseYear | None:
        y = enterprise_years.c
        with self.engine.connect() as connection:
            row = connection.execute(
                select(enterprise_years).where(y.credit_code == credit_code, y.year == year)
            ).first()
        return None if row is None else EnterpriseYear(**dict(row._mapping))

    # --- reference lists
    def clusters(self) -> list[tuple[str, str, str]]:
        c = clusters.c
        with self.engine.connect() as connection:
            return [
                (r.key, r.name_zh, r.name_en)
                for r in connection.execute(select(c.key, c.name_zh, c.name_en).order_by(c.key))
            ]

    def districts(self) -> list[str]:
        """The districts of the enterprises and of the institutions (a district may have
        only institutions)."""
        e, i = enterprises.c, institutions.c
        query = union(
            select(e.district).where(e.district.is_not(None)),
            select(i.district).where(i.district.is_not(None)),
        )
        with self.engine.connect() as connection:
            return sorted(str(d) for d in connection.scalars(query))

    def chain(self, chain_key: str) -> ChainView | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(chains).where(chains.c.key == chain_key)).first()
            if row is None:
                return None
            link_c, e = chain_links.c, enterprises.c
            links = connection.execute(
                select(link_c.key, link_c.name_zh, link_c.name_en, link_c.position).where(
                    link_c.chain == chain_key
                )
            ).all()
            keys = [link.key for link in links]
            counted: dict[str, int] = dict(
                connection.execute(
                    select(e.chain_link, func.count())
                    .where(e.chain_link.in_(keys))
                    .group_by(e.chain_link)
                ).all()
            )
            # the first few of each link by name, in one query (a window per link)
            place = (
                func.row_number()
                .over(partition_by=e.chain_link, order_by=(e.name, e.credit_code))
                .label("place")
            )
            ranked = (
                select(e.chain_link, e.credit_code, e.name, place)
                .where(e.chain_link.in_(keys))
                .subquery()
            )
            members = connection.execute(
                select(ranked.c.chain_link, ranked.c.credit_code, ranked.c.name)
                .where(ranked.c.place <= CHAIN_MEMBERS)
                .order_by(ranked.c.chain_link, ranked.c.place)
            ).all()
        by_link: dict[str, list[tuple[str, str]]] = {link.key: [] for link in links}
        for member in members:
            by_link[member.chain_link].append((member.credit_code, member.name))
        order = {"upstream": 0, "midstream": 1, "downstream": 2}
        return ChainView(
            key=row.key,
            name_zh=row.name_zh,
            name_en=row.name_en,
            cluster=row.cluster,
            links=[
                LinkView(
                    link.key,
                    link.name_zh,
                    link.name_en,
                    link.position,
                    by_link[link.key],
                    int(counted.get(link.key, 0)),
                )
                for link in sorted(links, key=lambda k: (order.get(k.position, 9), k.key))
            ],
        )

    def link_of(self, link_key: str) -> tuple[str, str, str, str, str, str] | None:
        """(chain key, chain zh, chain en, link zh, link en, position) of a chain link."""
        link_c, c = chain_links.c, chains.c
        with self.engine.connect() as connection:
            row = connection.execute(
                select(c.key, c.name_zh, c.name_en, link_c.name_zh, link_c.name_en, link_c.position)
                .join(chains, chains.c.key == link_c.chain)
                .where(link_c.key == link_key)
            ).first()
        if row is None:
            return None
        return (str(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]), str(row[5]))

    # --- institutions
    def _institution_filter(self, query: Select[Any], q: InstitutionQuery) -> Select[Any]:
        i = institutions.c
        if q.query:
            text = q.query.strip()
            query = query.where(words_contain(FoundKind.INSTITUTION, text, self.dialect))
        if q.kinds:
            query = query.where(i.kind.in_(q.kinds))
        if q.active_on is not None:
            day = q.active_on
            query = query.where(
                or_(i.recognised.is_(None), i.recognised <= day),
                or_(i.closed.is_(None), i.closed > day),
            )
        return query

    def search_institutions(
        self, q: InstitutionQuery, offset: int, limit: int
    ) -> tuple[list[InstitutionRow], int]:
        i = institutions.c
        counted = self._institution_filter(select(func.count()).select_from(institutions), q)
        column = {"name": i.name, "kind": i.kind, "level": i.level, "district": i.district}[q.sort]
        first = column.desc() if q.descending else column.asc()
        listed = self._institution_filter(
            select(i.id, i.name, i.kind, i.level, i.district, i.cluster), q
        ).order_by(*_nulls_last(column), first, i.name, i.id)
        with self.engine.connect() as connection:
            total = int(connection.scalar(counted) or 0)
            rows = connection.execute(listed.offset(offset).limit(limit)).all()
        return [
            InstitutionRow(r.id, r.name, r.kind, r.level, r.district, r.cluster) for r in rows
        ], total

    def institution(self, institution_id: str) -> tuple[Institution, int] | None:
        """The institution and how many patents it holds."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(institutions).where(institutions.c.id == institution_id)
            ).first()
            if row is None:
                return None
            held = connection.scalar(
                select(func.count()).where(patents.c.holder_institution == institution_id)
            )
        fields = dict(row._mapping)
        fields["kind"] = InstitutionKind(fields["kind"])
        return Institution(**fields), int(held or 0)

    # --- dashboard
    def counts(self, district: str | None = None) -> RegistryCounts:
        return _CountsOnEngine(self.engine, district)

    def data_years(self) -> tuple[int, int] | None:
        """The first and last year of the panel (or, without a panel, of certificates)."""
        year = enterprise_years.c.year
        with self.engine.connect() as connection:
            # Two queries: each of min and max alone is answered from the index.
            low = connection.scalar(select(func.min(year)))
            high = connection.scalar(select(func.max(year)))
            if low is None:
                first, last = connection.execute(
                    select(func.min(certificates.c.issued), func.max(certificates.c.issued))
                ).one()
                if first is None:
                    return None
                low, high = first.year, last.year
        return int(low), int(high)

    def certificates_per_tier(
        self, years: list[int], district: str | None = None
    ) -> dict[int, dict[str, int]]:
        c, e = certificates.c, enterprises.c
        result: dict[int, dict[str, int]] = {}
        with self.engine.connect() as connection:
            for year in years:
                query = select(c.tier, func.count(distinct(c.credit_code))).where(
                    _held_on(year_end(year))
                )
                if district is not None:
                    query = query.join(enterprises, e.credit_code == c.credit_code).where(
                        e.district == district
                    )
                result[year] = {
                    str(t): int(n) for t, n in connection.execute(query.group_by(c.tier))
                }
        return result

    def holders_per_district(self, tier: str, year: int) -> dict[str, int]:
        """Enterprises holding `tier` at the end of `year`, per district."""
        c, e = certificates.c, enterprises.c
        with self.engine.connect() as connection:
            query = (
                select(e.district, func.count(distinct(c.credit_code)))
                .join(enterprises, e.credit_code == c.credit_code)
                .where(c.tier == tier, _held_on(year_end(year)), e.district.is_not(None))
                .group_by(e.district)
            )
            return {str(d): int(n) for d, n in connection.execute(query)}

    def enterprises_per_cluster(self, district: str | None = None) -> dict[str, int]:
        e = enterprises.c
        query = select(e.cluster, func.count()).where(e.cluster.is_not(None))
        if district is not None:
            query = query.where(e.district == district)
        with self.engine.connect() as connection:
            return {str(k): int(n) for k, n in connection.execute(query.group_by(e.cluster))}

    def demo_bindings(self) -> tuple[str | None, str | None]:
        """An enterprise with the longest panel and the most certificates (its profile shows
        every chart and table) and the first institution: what the demo accounts are bound to."""
        y, i, c = enterprise_years.c, institutions.c, certificates.c
        held = select(func.count()).where(c.credit_code == y.credit_code).scalar_subquery()
        with self.engine.connect() as connection:
            enterprise = connection.scalar(
                select(y.credit_code)
                .group_by(y.credit_code)
                .order_by(func.count().desc(), held.desc(), y.credit_code)
                .limit(1)
            )
            if enterprise is None:
                enterprise = connection.scalar(
                    select(enterprises.c.credit_code).order_by(enterprises.c.credit_code).limit(1)
                )
            institution = connection.scalar(select(i.id).order_by(i.id).limit(1))
        return enterprise, institution


class _CountsOnEngine:
    """SqlRegistryCounts wants a connection; this opens one per question."""

    def __init__(self, engine: Engine, district: str | None = None) -> None:
        self.engine = engine
        self.district = district

    def enterprises_existing(self, day: date) -> int:
        with self.engine.connect() as connection:
            return SqlRegistryCounts(connection, self.district).enterprises_existing(day)

    def certificates_valid(self, day: date) -> dict[str, int]:
        with self.engine.connect() as connection:
            return SqlRegistryCounts(connection, self.district).certificates_valid(day)

    def institutions_active(self, day: date) -> dict[str, int]:
        with self.engine.connect() as connection:
            return SqlRegistryCounts(connection, self.district).institutions_active(day)

    def patents_valid(self, day: date) -> dict[str, int]:
        with self.engine.connect() as connection:
            return SqlRegistryCounts(connection, self.district).patents_valid(day)


def is_synthetic(engine: Engine) -> bool:
    """Whether the database says its data is synthetic: a `dataset_info` table with a true
    `synthetic` column, or a key/value row synthetic = true."""
    if "dataset_info" not in inspect(engine).get_table_names():
        return False
    with engine.connect() as connection:
        rows = [
            dict(row._mapping) for row in connection.exec_driver_sql("SELECT * FROM dataset_info")
        ]
    for row in rows:
        if "synthetic" in row and _truthy(row["synthetic"]):
            return True
        if str(row.get("key", "")).lower() == "synthetic" and _truthy(row.get("value")):
            return True
    return False


def _truthy(value: object) -> bool:
    return str(value).strip().lower() in ("1", "true", "t", "yes", "y")
