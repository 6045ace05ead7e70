from zhengdun.core.actors import Actor
from zhengdun.core.system import SYSTEM, SystemActor, is_system


def test_an_account_and_the_system_are_actors(world, county):
    assert isinstance(county, Actor) and isinstance(SYSTEM, Actor)
    assert is_system(SYSTEM) and not is_system(county) and isinstance(SYSTEM, SystemActor)
