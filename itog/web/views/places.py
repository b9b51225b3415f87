from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from itog.accounts.scope import can, may_in, scoped_get
from itog.orgs.models import Organization, Place, Room

from ..access import requires
from ..forms import PlaceForm, RoomForm
from ..list_specs import PLACES
from ..lists import list_or_export


@requires("places:view")
def place_list(request):
    ctx = list_or_export(request, PLACES)
    if not isinstance(ctx, dict):
        return ctx
    return render(request, "web/places/list.html", ctx)


@requires("places:view")
def place_detail(request, pk):
    place = scoped_get(Place.objects.select_related("organization"), request.user, pk=pk)
    return render(
        request,
        "web/places/detail.html",
        {
            "place": place,
            "rooms": place.rooms.all(),
            "can_edit": can(request.user, place, "edit"),
            "room_form": RoomForm(place=place),
        },
    )


@requires("places:edit")
def place_edit(request, pk=None, org_pk=None):
    if pk:
        place = scoped_get(Place, request.user, "edit", pk=pk)
    else:
        org = scoped_get(Organization, request.user, pk=org_pk)
        if not may_in(request.user, "places:edit", org):
            raise PermissionDenied("Недостаточно прав")
        place = Place(organization=org, address=org.address)
    form = PlaceForm(request.POST or None, instance=place)
    if request.method == "POST" and form.is_valid():
        place = form.save()
        messages.success(request, f"Сохранено: {place.name}")
        return redirect("place_detail", pk=place.pk)
    return render(request, "web/places/edit.html", {"form": form, "place": place})


@requires("places:edit")
def room_add(request, pk):
    """HTMX: add a room to a place and re-render the room table."""
    place = scoped_get(Place, request.user, "edit", pk=pk)
    form = RoomForm(request.POST or None, place=place)
    if request.method == "POST" and form.is_valid():
        room = form.save(commit=False)
        room.place = place
        room.save()
        form = RoomForm(place=place)
    context = {"place": place, "rooms": place.rooms.all(), "can_edit": True, "room_form": form}
    if request.htmx:
        return render(request, "web/places/_rooms.html", context)
    return redirect("place_detail", pk=place.pk)


@requires("places:edit")
def room_delete(request, pk):
    room = scoped_get(Room.objects.select_related("place"), request.user, "edit", pk=pk)
    place = room.place
    error = ""
    if request.method == "POST":
        from itog.exams.models import Seat

        if Seat.objects.for_user(request.user, "places:edit").filter(room=room).exists():
            # The seating of a session points at the room (its forms and kits name it): refuse, say why.
            error = (
                f"Аудиторию № {room.number} удалить нельзя: в ней рассажены участники. Измените рассадку "
                f"или уменьшите вместимость; удаленная аудитория сохранится в журнале аудита."
            )
        else:
            room._history_user = request.user
            room.delete()  # the history row (django-simple-history) keeps who deleted it and when
    if error and not request.htmx:
        messages.error(request, error)
    context = {
        "place": place,
        "rooms": place.rooms.all(),
        "can_edit": True,
        "room_form": RoomForm(place=place),
        "room_error": error,
    }
    if request.htmx:
        return render(request, "web/places/_rooms.html", context)
    return redirect("place_detail", pk=place.pk)
