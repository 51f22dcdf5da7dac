"""Use-cases for the journal's settings: country for support contacts, quiet numbers, …"""

from __future__ import annotations

from dataclasses import dataclass

from innerpace.errors import UserError
from innerpace.services.changes import UseCase
from innerpace.words import text


@dataclass(frozen=True, slots=True)
class SettingSpec:
    key: str
    default: str
    allowed: tuple[str, ...] | None
    help: str


SETTINGS = (
    SettingSpec("country", "", None, "two-letter country code for support contacts, e.g. GB"),
    SettingSpec("quiet_numbers", "0", ("0", "1"), "1 hides pace and distance everywhere"),
    SettingSpec("keep_coordinates", "1", ("0", "1"), "0 keeps no GPS coordinates in new imports"),
)
_BY_KEY = {spec.key: spec for spec in SETTINGS}


class SettingsUseCases(UseCase):
    def settings(self) -> dict[str, str]:
        return {s.key: self.store.get_setting(s.key, s.default) or s.default for s in SETTINGS}

    def setting(self, key: str) -> str:
        return self.settings()[self._spec(key).key]

    def change_setting(self, key: str, value: str) -> None:
        spec = self._spec(key)
        value = value.strip()
        if spec.key == "country":
            value = value.upper()
            if value and not (len(value) == 2 and value.isascii() and value.isalpha()):
                raise UserError(text("services.settings.country_code", value=repr(value)))
        elif spec.allowed is not None and value not in spec.allowed:
            allowed = ", ".join(spec.allowed)
            raise UserError(
                text(
                    "services.settings.not_allowed", setting=key, allowed=allowed, value=repr(value)
                )
            )
        self.store.set_setting(spec.key, value)

    @property
    def quiet_numbers(self) -> bool:
        return self.setting("quiet_numbers") == "1"

    @staticmethod
    def _spec(key: str) -> SettingSpec:
        spec = _BY_KEY.get(key.replace("-", "_"))
        if spec is None:
            raise UserError(
                text("services.settings.unknown", setting=repr(key), known=", ".join(_BY_KEY))
            )
        return spec
