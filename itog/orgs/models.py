from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.models import HistoricalRecords

from itog.accounts.scope import ScopedQuerySet

from .kinds import ALLOWED_PARENT_KINDS, ORG_KIND_LABELS, RUSSIAN_TIME_ZONES, OrgKind, normalize_name


class Organization(models.Model):
    """A node of the region's tree: ministry → РЦОИ / regional bodies / МОУО → ОО.

    ``path`` is the materialised path of primary keys (``"1/5/27/"``) that the
    scoping layer uses to select a subtree with one indexed prefix match.
    """

    SCOPE_RESOURCE = "orgs"
    SCOPE_PATH = "path"

    kind = models.CharField("тип", max_length=20, choices=[(k.value, ORG_KIND_LABELS[k]) for k in OrgKind])
    code = models.CharField("код", max_length=20, unique=True, help_text="Официальный код организации (в РИС ГИА).")
    name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="вышестоящая организация",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    address = models.CharField("адрес", max_length=500, blank=True)
    time_zone = models.CharField("часовой пояс", max_length=40, choices=RUSSIAN_TIME_ZONES, default="Europe/Moscow")
    phone = models.CharField("телефон", max_length=50, blank=True)
    email = models.EmailField("эл. почта", blank=True)
    is_active = models.BooleanField("действует", default=True)
    history = HistoricalRecords(excluded_fields=["path", "depth"])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self):
        parent_kind = OrgKind(self.parent.kind) if self.parent_id else None
        if self.kind and parent_kind not in ALLOWED_PARENT_KINDS[OrgKind(self.kind)]:
            raise ValidationError({"parent": "Организация такого типа не может подчиняться выбранной организации."})
        if self.pk and self.parent_id:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError({"parent": "Организация не может подчиняться сама себе."})
                node = node.parent

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)
                kwargs.pop("force_insert", None)
                kwargs["update_fields"] = None
            old_path = self.path
            self.path = self.compute_path()
            self.depth = self.path.count("/") - 1
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                self._move_descendants(old_path)

    def compute_path(self) -> str:
        return f"{self.parent.path if self.parent_id else ''}{self.pk}/"

    def _move_descendants(self, old_path: str) -> None:
        for child in Organization.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
            child.path = self.path + child.path[len(old_path) :]
            child.depth = child.path.count("/") - 1
            Organization.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)

    @property
    def municipality(self) -> Organization | None:
        """The МОУО this organization belongs to (itself for an МОУО)."""
        node = self
        while node is not None:
            if node.kind == OrgKind.MOUO:
                return node
            node = node.parent
        return None

    def ancestors(self) -> list[Organization]:
        ids = [int(x) for x in self.path.strip("/").split("/")[:-1]]
        by_id = Organization.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


class PlaceKind(models.TextChoices):
    VENUE = "venue", "Место проведения"
    REGISTRATION = "registration", "Место регистрации"
    CHECKING = "checking", "Место проверки"


class Place(models.Model):
    """A place that belongs to an organization: exam venue, registration or checking place."""

    SCOPE_RESOURCE = "places"
    SCOPE_PATH = "organization__path"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="places", verbose_name="организация"
    )
    kind = models.CharField("вид", max_length=20, choices=PlaceKind.choices)
    code = models.CharField("код", max_length=20, blank=True)
    name = models.CharField("наименование", max_length=300)
    address = models.CharField("адрес", max_length=500, blank=True)
    is_active = models.BooleanField("действует", default=True)
    # Readiness of a place of conduct (п. 4.6, 7.6, 7.7, 7.11.1 of the essay procedure).
    has_meal_room = models.BooleanField("помещение для питания и перерывов", default=False)
    meal_room_fridge = models.BooleanField("в нем холодильник", default=False)
    meal_room_kettle = models.BooleanField("в нем электрический чайник", default=False)
    meal_room_sanitary_ok = models.BooleanField("соответствует санитарным нормам", default=False)
    has_medical_room = models.BooleanField("помещение для медицинских работников", default=False)
    has_participant_storage = models.BooleanField("место хранения личных вещей участников", default=False)
    has_staff_storage = models.BooleanField("место хранения личных вещей членов комиссии и посетителей", default=False)
    head_room_safe = models.BooleanField("сейф в помещении руководителя", default=False)
    has_video = models.BooleanField("видеонаблюдение", default=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    READINESS_FIELDS = (
        "has_meal_room",
        "meal_room_fridge",
        "meal_room_kettle",
        "meal_room_sanitary_ok",
        "has_medical_room",
        "has_participant_storage",
        "has_staff_storage",
        "head_room_safe",
        "has_video",
    )

    class Meta:
        verbose_name = "место"
        verbose_name_plural = "места"
        ordering = ["organization__path", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def capacity(self) -> int:
        return sum(r.capacity for r in self.rooms.all())


class Room(models.Model):
    SCOPE_RESOURCE = "places"
    SCOPE_PATH = "place__organization__path"

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="rooms", verbose_name="место")
    number = models.CharField("номер аудитории", max_length=20)
    capacity = models.PositiveSmallIntegerField("вместимость (мест)")
    accessible = models.BooleanField("доступна для участников с ОВЗ", default=False)
    # The interview is held in rooms equipped for audio recording (Рекомендации по организации и проведению
    # итогового собеседования; seed 002: recordings go to РЦОИ by D+6): only these answer the interview.
    audio_equipped = models.BooleanField("оборудована для аудиозаписи", default=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "аудитория"
        verbose_name_plural = "аудитории"
        ordering = ["place", "number"]
        constraints = [models.UniqueConstraint(fields=["place", "number"], name="uniq_room_number")]

    def __str__(self) -> str:
        return f"ауд. {self.number}"


class ActorAlias(models.Model):
    """A name an actor has in documents, mapped to one organization
    («БУ РК «ЦОКО»», «РЦОИ», «ЦОКО» → the same РЦОИ)."""

    SCOPE_RESOURCE = "aliases"
    SCOPE_PATH = "region__path"

    region = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="регион",
        limit_choices_to={"kind": OrgKind.MINISTRY},
    )
    alias = models.CharField("написание в документах", max_length=300)
    key = models.CharField(max_length=300, editable=False)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="aliases",
        null=True,
        blank=True,
        verbose_name="организация",
    )
    org_kind = models.CharField(
        "все организации типа",
        max_length=20,
        blank=True,
        choices=[(k.value, ORG_KIND_LABELS[k]) for k in (OrgKind.MOUO, OrgKind.SCHOOL)],
        help_text="Для собирательных названий («МОУО», «руководители ОО»): все организации этого типа в регионе.",
    )
    external_name = models.CharField(
        "внешний участник",
        max_length=300,
        blank=True,
        help_text="Для федеральных и иных внешних участников (Рособрнадзор, ФЦТ): каноническое наименование.",
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "синоним участника"
        verbose_name_plural = "словарь синонимов"
        ordering = ["alias"]
        constraints = [models.UniqueConstraint(fields=["region", "key"], name="uniq_alias_key")]

    def __str__(self) -> str:
        return self.alias

    GROUP_NAMES = {OrgKind.MOUO: "МОУО", OrgKind.SCHOOL: "ОО"}

    @property
    def canonical(self) -> str:
        if self.organization_id:
            return self.organization.display_name
        if self.org_kind:
            return self.GROUP_NAMES[OrgKind(self.org_kind)]
        return self.external_name

    def clean(self):
        targets = [bool(self.organization_id), bool(self.org_kind), bool(self.external_name.strip())]
        if not any(targets):
            raise ValidationError("Укажите организацию или каноническое наименование внешнего участника.")
        if sum(targets) > 1:
            raise ValidationError("Укажите только одно: организацию, все организации типа или внешнего участника.")
        clash = (
            ActorAlias.objects.filter(region_id=self.region_id, key=normalize_name(self.alias))
            .exclude(pk=self.pk)
            .first()
        )
        if clash:
            raise ValidationError(
                {"alias": f"Такое написание уже есть в словаре: «{clash.alias}» → {clash.canonical}."}
            )

    def save(self, *args, **kwargs):
        self.key = normalize_name(self.alias)
        super().save(*args, **kwargs)


def resolve_actor(region: Organization, name: str) -> ActorAlias | None:
    """The dictionary entry for a name as written in a document, if any."""
    return ActorAlias.objects.select_related("organization").filter(region=region, key=normalize_name(name)).first()
