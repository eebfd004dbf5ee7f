"""Organisation mentions in a document → Parties (registry organisations, new ones, collectives)."""
from __future__ import annotations

import re

from policykg.ontology import Organisation, Registry, load_registry

from .model import Party

#: An unknown name is taken for an organisation only if it ends like one.
ORG_SUFFIX = re.compile(
    r"(?:部|委|委员会|局|总局|厅|署|办|办公室|院|会|行|政府|中心|室|处|组|单位|部门|机构|集团|公司|银行|法院|检察院|军|队|社|所|站|台|馆"
    r"|开发区|园区|新区|高新区|示范区|试验区|保税区|合作区|街道|镇|乡|专班|指挥部|学校|大学|学院|高校|企业|基地|科|股|团|兵团"
    r"|海关|联)$")
_LIST_SPLIT = re.compile(r"[、，,；;]|以及|及(?=[\u4e00-\u9fff]{2,}(?:部|委|局|厅|署|会|院|政府))")
_ETC = re.compile(r"^(?P<head>.+?)等(?P<tail>[\u4e00-\u9fff]{0,6}?(?:其他|各)?(?:有关|相关)?(?:部门|单位|机构)(?:和单位)?"
                  r"(?:（[^（）]{1,6}）)?)?$")
#: A jurisdiction the registry does not list, read off the name: 四川省教育厅 → 四川省, 内蒙古自治区… .
#: The most specific one wins: 鞍山市立山区人民政府 → 鞍山市立山区, so that 区发改局 of one district is
#: never 区发改局 of another.
_DISTRICT = r"[\u4e00-\u9fff]{1,4}(?<![城超])(?:县|旗)|[\u4e00-\u9fff]{2,3}(?<![自治开发园新城社街小])区|[\u4e00-\u9fff]{2}新区"
PROVINCE_PREFIX = re.compile(
    r"^(?P<j>(?:[\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,8}?(?:壮族|回族|维吾尔)?自治区|[\u4e00-\u9fff]{2,3}(?<![城超])市"
    rf"|[\u4e00-\u9fff]{{2,4}}(?:自治州|地区|盟)|{_DISTRICT})(?:{_DISTRICT})?(?![\u4e00-\u9fff]{{0,2}}$))")
#: Words of a sentence, never of a body's name: 以下各项任务均需各市人民政府 is no organisation.
NOT_A_NAME = re.compile(r"均需|需要|要求|负责|落实|推进|开展|加强|以下|下列|各项|任务|确保|应当|同意|支持|鼓励")
#: Unprefixed names a provincial or city document uses for its own bodies (统计局, 卫生健康委), not
#: for the national ones of the same name; national bodies keep their 部 / 总局 / 总署 / 会 names.
LOCAL_FORM = re.compile(r"(?:委|委员会|(?<!总)局|厅|办|办公室)$")
#: Unnamed groups that take part as a whole: 有关部门, 其他相关单位, 部门 (of ``A等部门``).
GENERIC_GROUP = re.compile(r"^(?:各|其他|有关|相关|其他有关|其他相关|各有关|各相关)?(?:部门|单位|方面|机构)(?:和单位)?$"
                           r"|^[\u4e00-\u9fff]{1,10}?(?:各|有关|相关)+(?:部门|单位|方面|机构)(?:和单位)?$")


def _slug(name: str) -> str:
    return re.sub(r"[^\w\u4e00-\u9fff]+", "-", name).strip("-")


def new_organisation(name: str, jurisdiction: str | None) -> Organisation:
    """An organisation that is not in the registry, kept under the name printed."""
    return Organisation(id=f"new-{jurisdiction or 'x'}-{_slug(name)}", name=name,
                        jurisdiction=jurisdiction, in_registry=False)


def collective(name: str, jurisdiction: str | None = None) -> Party:
    """A group acting as one party (各街道, 有关部门); the 各街道 of one district are not another's, so
    below the national level the group belongs to the document's jurisdiction."""
    scope = f"{jurisdiction}-" if jurisdiction and jurisdiction != "cn" else ""
    return Party(Organisation(id=f"collective-{scope}{_slug(name)}", name=name, jurisdiction=jurisdiction,
                              in_registry=False), name, collective=True)


def jurisdiction_of(mention: str, registry: Registry) -> tuple[str | None, str]:
    """(jurisdiction key, name without it): a registry prefix (自治区教育厅 → gx), else a
    province/city/county printed before the name (四川省教育厅 → 四川省); (None, mention) if neither."""
    key, base = registry.split_prefix(mention)
    if key:
        return key, base
    m = PROVINCE_PREFIX.match(mention)
    if m and not mention.startswith("各"):
        return m.group("j"), mention[m.end():]
    return None, mention


#: A name as printed in a list of parties: short, no sentence punctuation, no verb of a sentence.
_NAME_CHARS = re.compile(r"^[★☆]?[\u4e00-\u9fffA-Za-z0-9（）()·、]{2,30}$")
_NOT_A_LISTED_NAME = re.compile(r"^(?:等|和|及|并|在|对|按|以|从|于|将|把|为)|[，。；：“”！？]|\d{4}年|月底|年底|以前|之前|完成|持续|长期"
                               r"|(?:牵头|参与|配合|协助|指导|协同|督办|督导)$")


def is_name_like(mention: str) -> bool:
    """Whether a listed item reads as a name (of an organisation, group or place) rather than a clause:
    ``立山经济开发区`` and ``全区经济运行各专班`` are names; ``2023年底前完成`` is not."""
    return bool(_NAME_CHARS.match(mention)) and not _NOT_A_LISTED_NAME.search(mention) and not NOT_A_NAME.search(
        mention)


def is_org_like(mention: str, registry: Registry | None = None) -> bool:
    registry = registry or load_registry()
    return bool(registry.resolve_mention(mention) or registry.is_collective(mention)
                or GENERIC_GROUP.match(mention) or LEVEL_GROUP.fullmatch(mention)
                or EACH_GROUP.fullmatch(mention) and not NOT_A_NAME.search(mention)
                or (2 <= len(mention) <= 30 and ORG_SUFFIX.search(mention)
                    and not re.search(r"[，。；：“”]", mention) and not NOT_A_NAME.search(mention)))


def resolve_party(mention: str, context: str | None, registry: Registry | None = None) -> Party:
    """One mention; ``context`` is the jurisdiction key unprefixed names belong to."""
    registry = registry or load_registry()
    org = registry.resolve_mention(mention, context)
    if org and _fits(org, mention, context, registry):
        return Party(org, mention)
    if (registry.is_collective(mention) or mention.startswith("各") or GENERIC_GROUP.match(mention)
            or LEVEL_GROUP.fullmatch(mention)):
        return collective(mention, context)
    # 四川省教育厅 is never 广西's 教育厅: the printed prefix decides; the id ignores how it was printed
    key, base = jurisdiction_of(mention, registry)
    jur = key or context
    if key is None and context and _LEVEL_WORD.match(base) and len(base) > 3 and context.endswith(base[0]):
        base = base[1:]  # 省教育厅 in a 四川省 document: 四川省's 教育厅 (but 市教育局 there is a city's)
    return Party(Organisation(id=f"new-{jur or 'x'}-{_slug(_canonical_base(base, registry))}", name=mention,
                              jurisdiction=jur, in_registry=False), mention)


_LEVEL_WORD = re.compile(r"^[省市州县区](?![委政])")


def _fits(org: Organisation, mention: str, context: str | None, registry: Registry) -> bool:
    """Whether a registry match suits the document: an unprefixed name in a document of another
    jurisdiction means that jurisdiction's own body (南宁市's 市住房和城乡建设局, 四川省's 卫生健康委)."""
    if registry.split_prefix(mention)[0] is not None or context is None or org.jurisdiction == context:
        return True
    if org.jurisdiction == "cn":
        return context == "cn" or not LOCAL_FORM.search(mention) or jurisdiction_of(mention, registry)[0] is not None
    return context in registry.jurisdictions and context != "cn" and org.jurisdiction == "city"


def _canonical_base(base: str, registry: Registry) -> str:
    """The full form of a short name known from any jurisdiction: 人力资源社会保障厅 → 人力资源和社会保障厅,
    so that two spellings of one unknown body get one id."""
    table = _BASES.get(id(registry))
    if table is None:
        table = {}
        for o in registry.organisations:
            full = registry.split_prefix(o.name)[1]
            if _LEVEL_WORD.match(full) and len(full) > 3:
                full = full[1:]
            for form in (full, *o.short):
                table.setdefault(form, full)
        _BASES.clear()
        _BASES[id(registry)] = table
    return table.get(base, base)


_BASES: dict[int, dict[str, str]] = {}


_LEVEL = (r"(?:省|市|县|区|州|盟|旗|乡|镇|自治区|直辖市|设区市|市州|县区|区县|市县|市区|县市区|县级市|街道|乡镇|镇街|园区"
          r"|开发区|街道办事处|镇人民政府)(?:（[^（）]{1,12}）)?")
#: Collectives printed as a list of levels: 各市、县（市、区）人民政府, 省、自治区、直辖市人民政府, 各级党委和政府.
#: A group ends where a name would: 各街道、区直各部门 is two parties, not 各街道、区 + 直各部门.
#: 各试点乡镇、街道: a short qualifier before the first level; 各县、区人民政府（管委会）: an alias after.
_GROUP_BODY = r"(?:人民政府|政府|党委和政府|党委、政府|有关部门)?(?:（[^（）]{1,10}）)?(?![\u4e00-\u9fff])"
LEVEL_GROUP = re.compile(
    rf"各[\u4e00-\u9fff]{{0,3}}?{_LEVEL}(?:[、和及]{_LEVEL})*{_GROUP_BODY}"
    rf"|{_LEVEL}(?:[、和及]{_LEVEL})+(?:人民政府|政府|党委和政府|党委、政府|有关部门)(?:（[^（）]{{1,10}}）)?"
    r"|各级(?:党委和政府|党委、政府|人民政府|政府)")
#: "Each X" groups that act as parties: 各高校, 各学校, 各医疗机构 (各项任务 is excluded by NOT_A_NAME).
EACH_GROUP = re.compile(r"各[\u4e00-\u9fff]{2,6}")
#: List separators outside brackets: 市人力资源社会保障局，各县（市、区）人民政府 has one.
_SEPARATOR = re.compile(r"[、，,；;](?![^（(]*[）)])|以及|及(?=[\u4e00-\u9fff]{2,}(?:部|委|局|厅|署|会|院|政府|单位|部门|机构|办))"
                        r"|(?:及|和|与)(?=各|\x00)")  # 国务院相关部门及各地区
_AND = re.compile(r"[和与](?=[\u4e00-\u9fff]{2,})")


def split_parties(text: str) -> list[str]:
    """``海关总署、商务部等有关部门`` → [海关总署, 商务部, 有关部门]; ``教育部和财政部`` → both;
    ``各市、县（市、区）人民政府`` stays one collective."""
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\x00{len(kept) - 1}\x00"

    if "、" in text or "和" in text:
        text = LEVEL_GROUP.sub(keep, text)
    pieces: list[str] = []
    for piece in _SEPARATOR.split(text):
        piece = piece.strip(" 　和")
        if not piece:
            continue
        m = _ETC.match(piece)
        if m and m.group("head") and not m.group("head").endswith("各"):
            pieces += _split_and(m.group("head"))
            if m.group("tail") and not _BARE_GROUP.match(m.group("tail")):  # A等部门: A, no one more
                pieces.append(m.group("tail"))
        else:
            pieces += _split_and(piece)
    if kept:
        pieces = [re.sub(r"\x00(\d+)\x00", lambda k: kept[int(k.group(1))], p) for p in pieces]
    return _shared_suffix(pieces)


#: A bare place name (no 市/区/县/局 …) that shares the next item's ending: 哈尔滨、黑河、绥芬河市政府.
_BARE_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def _shared_suffix(pieces: list[str]) -> list[str]:
    """``哈尔滨、黑河、绥芬河市政府`` is one party (three cities' governments, the suffix printed once);
    ``荔湾区、黄埔区政府`` stays two, since 荔湾区 names a body of its own."""
    out: list[str] = []
    run: list[str] = []
    for piece in pieces:
        if _BARE_PLACE.match(piece) and not ORG_SUFFIX.search(piece) and not _ENDS_AS_PLACE.search(piece) \
                and not piece.startswith("各"):
            run.append(piece)
            continue
        if run and _GOVERNMENT.search(piece) and len(piece) <= 12:
            out.append("、".join(run + [piece]))
        else:
            out += run + [piece]
        run = []
    return out + run


_GOVERNMENT = re.compile(r"(?:市|县|区|州|盟|旗)(?:人民)?政府$")
_ENDS_AS_PLACE = re.compile(r"(?:省|市|县|区|州|盟|旗|乡|镇|村|部门|单位)$")


#: Two names run together when a separator was lost: 市行政审批局市司法局 → 市行政审批局、市司法局.
_RUN_TOGETHER = re.compile(r"(?<=[局委厅署])(?=[市省区县州][\u4e00-\u9fff]{1,12}[局委厅署办]$)")


#: ``等部门`` / ``等单位`` / ``等部门（单位）`` after names says "and the like": it names no further party
#: (``等有关部门`` does: the departments concerned).
_BARE_GROUP = re.compile(r"^(?:部门|单位|机构)(?:和单位)?(?:（[^（）]{1,6}）)?$")


def _split_and(piece: str) -> list[str]:
    """``教育部和财政部`` → two; ``人力资源和社会保障部``, ``有关部门和单位`` stay one."""
    run = _RUN_TOGETHER.split(piece, maxsplit=1)
    if len(run) == 2 and len(run[0]) >= 4:
        return [*_split_and(run[0]), *_split_and(run[1])]
    if "和" not in piece and "与" not in piece or "\x00" in piece or GENERIC_GROUP.match(piece):
        return [piece]
    for m in _AND.finditer(piece):
        left, right = piece[:m.start()], piece[m.end():]
        if ORG_SUFFIX.search(left) and ORG_SUFFIX.search(right) and len(left) >= 2:
            return [left, *_split_and(right)]
    return [piece]


def resolve_list(text: str, context: str | None, registry: Registry | None = None) -> list[Party]:
    """A printed list of organisations; a jurisdiction prefix carries over to the names after it
    (``自治区人力资源社会保障厅、发展改革委`` → both 广西)."""
    registry = registry or load_registry()
    parties, current = [], context
    for mention in split_parties(text):
        key, _ = jurisdiction_of(mention, registry)
        if key:
            current = key
        parties.append(resolve_party(mention, current, registry))
    return parties
