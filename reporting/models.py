from django.db import models


class ContractBudgetLine(models.Model):
    """A line of the contract budget: the 2018 children's centre spend and the ECFS indicative split."""

    name = models.CharField(max_length=200, unique=True)
    position = models.PositiveSmallIntegerField()
    childrens_centres_2018_gbp = models.DecimalField(max_digits=12, decimal_places=2)
    childrens_centres_2018_pct = models.DecimalField(max_digits=5, decimal_places=1)
    ecfs_indicative_gbp = models.DecimalField(max_digits=12, decimal_places=2)
    ecfs_indicative_pct = models.DecimalField(max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.name
