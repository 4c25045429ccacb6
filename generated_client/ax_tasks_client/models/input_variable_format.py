from enum import StrEnum


class InputVariableFormat(StrEnum):
    F_STRING = "F_STRING"
    MUSTACHE = "MUSTACHE"
    NONE = "NONE"

    def __str__(self) -> str:
        return str(self.value)
