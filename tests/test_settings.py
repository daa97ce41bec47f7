import pytest
from conftest import write_config

from digest.errors import ConfigError
from digest.settings import load_settings

MINIMAL = """
[[sources]]
name = "s"
type = "folder"
path = "articles"

[audiences.general]
subject = "Daily"
"""


def test_relative_paths_resolve_against_the_config_folder(tmp_path):
    config = write_config(tmp_path / "conf", MINIMAL)
    settings = load_settings(config)
    assert settings.sources[0].path == (tmp_path / "conf" / "articles").resolve()
    assert settings.audiences["general"].summary_sentences == 3


def test_outbox_relative_to_config(tmp_path):
    config = write_config(tmp_path / "conf", 'outbox = "../out"\n' + MINIMAL)
    assert load_settings(config).outbox == (tmp_path / "out").resolve()


def test_unknown_key_is_named(tmp_path):
    config = write_config(tmp_path, MINIMAL + "subjct = 'x'\n")
    with pytest.raises(ConfigError) as info:
        load_settings(config)
    assert str(info.value) == f"{config.resolve()}: 'audiences.general.subjct' is not a known setting"


def test_wrong_type_is_named(tmp_path):
    config = write_config(tmp_path, MINIMAL + "summary_sentences = 'three'\n")
    with pytest.raises(ConfigError) as info:
        load_settings(config)
    assert str(info.value).endswith(
        "'audiences.general.summary_sentences' must be an integer, got a string")


def test_boolean_is_not_an_integer(tmp_path):
    config = write_config(tmp_path, MINIMAL + "summary_sentences = true\n")
    with pytest.raises(ConfigError, match="must be an integer, got a boolean"):
        load_settings(config)


def test_unknown_algorithm_in_config(tmp_path):
    config = write_config(tmp_path, "[summary]\nalgorithm = 'magic'\n" + MINIMAL)
    with pytest.raises(ConfigError, match="'summary.algorithm' must be one of .*got 'magic'"):
        load_settings(config)


def test_source_needs_a_type(tmp_path):
    config = write_config(tmp_path, "[[sources]]\nname = 's'\npath = 'x'\n"
                                    "[audiences.a]\n")
    with pytest.raises(ConfigError, match=r"'sources\[0\].type' is required"):
        load_settings(config)


def test_audience_name_must_be_safe_for_a_file_name(tmp_path):
    config = write_config(tmp_path, '[audiences."../evil"]\n')
    with pytest.raises(ConfigError, match="not a valid audience name"):
        load_settings(config)


def test_invalid_toml(tmp_path):
    config = write_config(tmp_path, "window = \n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_settings(config)


def test_search_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIGEST_CONFIG", raising=False)
    builtin = load_settings()
    assert builtin.builtin
    assert builtin.outbox == tmp_path / "outbox"
    local = write_config(tmp_path / "config", MINIMAL)
    assert load_settings().config_path == local.resolve()
    env = write_config(tmp_path / "elsewhere", MINIMAL)
    monkeypatch.setenv("DIGEST_CONFIG", str(env))
    assert load_settings().config_path == env.resolve()
    explicit = write_config(tmp_path / "third", MINIMAL)
    assert load_settings(explicit).config_path == explicit.resolve()


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml")


def test_feed_page_and_fetch_settings(tmp_path):
    from digest.settings import load_settings

    config = write_config(tmp_path, """
        [fetch]
        timeout = 5
        max_bytes = 1000
        concurrency = 2
        user_agent = "my-digest/1.0"
        conditional = false

        [[sources]]
        name = "F"
        type = "feed"
        url = "https://news.example/feed"
        full_text = true
        max_entries = 10

        [[sources]]
        name = "L"
        type = "feed"
        path = "feed.xml"

        [[sources]]
        name = "P"
        type = "page"
        urls = ["https://news.example/a"]

        [audiences.general]
    """)
    settings = load_settings(config)
    feed, local, page = settings.sources
    assert feed.url == "https://news.example/feed" and feed.full_text is True
    assert feed.max_entries == 10
    assert local.path == (tmp_path / "feed.xml").resolve() and local.full_text is None
    assert page.urls == ("https://news.example/a",)
    assert settings.fetch.timeout == 5.0 and settings.fetch.max_bytes == 1000
    assert settings.fetch.concurrency == 2 and settings.fetch.user_agent == "my-digest/1.0"
    assert settings.fetch.conditional is False


@pytest.mark.parametrize("body,message", [
    ("[[sources]]\nname='F'\ntype='feed'\n", r"'sources\[0\]' needs exactly one of 'url' and"),
    ("[[sources]]\nname='F'\ntype='feed'\nurl='ftp://x/y'\n", r"'sources\[0\].url' must be an"),
    ("[[sources]]\nname='F'\ntype='feed'\nurl='http://x/'\nfull_text='yes'\n",
     r"'sources\[0\].full_text' must be true, false or"),
    ("[[sources]]\nname='P'\ntype='page'\nurls=[]\n", r"'sources\[0\].urls' needs at least"),
    ("[fetch]\ntimeout=0\n", r"'fetch.timeout' must be a positive number"),
    ("[fetch]\nretries=-1\n", r"'fetch.retries' must be 0 or more"),
    ('[fetch]\nuser_agent="a\\nb"\n', r"'fetch.user_agent' must be one line"),
    ("[fetch]\nspeed=1\n", r"'fetch.speed' is not a known setting"),
])
def test_bad_feed_and_fetch_settings_name_the_key(tmp_path, body, message):
    from digest.settings import load_settings

    config = write_config(tmp_path, body + "[audiences.general]\n")
    with pytest.raises(ConfigError, match=message):
        load_settings(config)
