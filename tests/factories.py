import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from bases.models import Base, StaffProfile, Team
from ecfs.roles import Role, group_name

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=group_name(extracted))[0])


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    base = factory.LazyFunction(lambda: Base.objects.order_by("name").first())


def staff_member(*, role: Role, team: Team | None, **user_fields):
    user = UserFactory(role=role, **user_fields)
    StaffProfile.objects.create(user=user, team=team, job_title=role.label)
    return user
