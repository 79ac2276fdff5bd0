from tests.config.replica import real_replica  # noqa: F401
