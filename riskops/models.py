from django.db import models


class DemoDataset(models.Model):
    """A demo dataset that has been loaded, so that `make run` loads each one only once."""

    name = models.CharField(max_length=100, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
