from ninja import Schema


class MembershipOut(Schema):
    role: str
    role_label: str
    organization_id: int
    organization: str


class MeOut(Schema):
    username: str
    full_name: str
    memberships: list[MembershipOut]


class OrgOut(Schema):
    id: int
    code: str
    kind: str
    name: str
    short_name: str
    parent_id: int | None
    address: str
    time_zone: str
    is_active: bool


class RoomOut(Schema):
    id: int
    number: str
    capacity: int
    accessible: bool
    audio_equipped: bool  # оборудована для аудиозаписи (the interview answers only in these rooms)


class PlaceOut(Schema):
    id: int
    kind: str
    code: str
    name: str
    address: str
    rooms: list[RoomOut]


class AliasOut(Schema):
    id: int
    alias: str
    organization_id: int | None
    canonical: str


class ErrorOut(Schema):
    detail: str
