from enum import StrEnum


class ProjectType(StrEnum):
    APPLICATION = "APPLICATION"
    EXPERIMENT = "EXPERIMENT"
    HARNESS = "HARNESS"

    def __str__(self) -> str:
        return str(self.value)
