"""Audio recordings of oral answers: upload with the kind's checks, storage under ITOG_MEDIA_ROOT, logged
playback."""
