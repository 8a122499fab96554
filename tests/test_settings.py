from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import ConfigError, Settings


def test_precedence_flags_over_environment_over_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('model = "from-file"\nengine = "offline"\nfuzzy_threshold = 85\n')
    env = {"SUMMARIZER_CONFIG": str(config), "SUMMARIZER_MODEL": "from-env"}
    settings = Settings.load({"model": None}, environ=env)
    assert (settings.model, settings.engine, settings.fuzzy_threshold) == ("from-env", "offline", 85)
    assert Settings.load({"model": "from-flag"}, environ=env).model == "from-flag"


def test_auto_engine_follows_key_or_base_url() -> None:
    assert Settings.load(environ={}).resolved_engine == "offline"
    assert Settings.load(environ={"OPENAI_API_KEY": "sk-test"}).resolved_engine == "openai"
    assert Settings.load(environ={"OPENAI_BASE_URL": "http://127.0.0.1:8080/v1"}).resolved_engine == "openai"
    forced = Settings.load(environ={"OPENAI_API_KEY": "sk-test", "SUMMARIZER_ENGINE": "offline"})
    assert forced.resolved_engine == "offline"


def test_key_is_never_in_repr_or_dump() -> None:
    settings = Settings.load(environ={"OPENAI_API_KEY": "sk-secret-123"})
    assert "sk-secret-123" not in repr(settings)
    assert "sk-secret-123" not in settings.model_dump_json()


def test_bad_values_are_one_precise_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="engine"):
        Settings.load(environ={"SUMMARIZER_ENGINE": "gpt"})
    config = tmp_path / "c.toml"
    config.write_text("fuzzy_threshold = [\n")
    with pytest.raises(ConfigError, match=r"c\.toml"):
        Settings.load(environ={"SUMMARIZER_CONFIG": str(config)})
    with pytest.raises(ConfigError, match="does not exist"):
        Settings.load(environ={"SUMMARIZER_CONFIG": str(tmp_path / "missing.toml")})
    config.write_text('api_key = "sk-x"\n')
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        Settings.load(environ={"SUMMARIZER_CONFIG": str(config)})
