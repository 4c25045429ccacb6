from enum import StrEnum


class ResponseFormatType(StrEnum):
    JSON_OBJECT = "JSON_OBJECT"
    JSON_SCHEMA = "JSON_SCHEMA"
    TEXT = "TEXT"

    def __str__(self) -> str:
        return str(self.value)
