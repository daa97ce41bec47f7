"""One story once: canonical URLs, GUIDs and near-identical text."""

import random

from conftest import STORY

from digest.gathering.dedupe import canonical_url, group_duplicates, merge_duplicates
from digest.models import Article


def art(text=STORY, source="A", url="", guid="", title="T"):
    return Article(title=title, text=text, source=source, url=url, guid=guid)


def test_canonical_url_drops_tracking_and_fragment():
    assert canonical_url("HTTPS://News.Example/a/b?utm_source=rss&id=3&utm_medium=x#top") \
        == "https://news.example/a/b?id=3"
    assert canonical_url("https://news.example/a?b=2&a=1") == "https://news.example/a?a=1&b=2"
    assert canonical_url("") == ""


def test_same_canonical_url_is_one_story():
    a = art(source="A", url="https://n.example/s?utm_source=a", text="Short one.")
    b = art(source="B", url="https://n.example/s#comments", text="Different short text.")
    [(kept, versions)] = merge_duplicates([a, b])
    assert len(versions) == 2
    assert kept.source == "B" and kept.also_in == ["A"]  # B has more words


def test_global_guid_matches_across_sources_but_short_ones_do_not():
    a = art(source="A", guid="tag:n.example,2024:1", text="One text.")
    b = art(source="B", guid="tag:n.example,2024:1", text="Another text.")
    assert len(merge_duplicates([a, b])) == 1
    c = art(source="A", guid="2", text="One text.")
    d = art(source="B", guid="2", text="Another text.")
    assert len(merge_duplicates([c, d])) == 2


def test_near_identical_text_is_one_story_and_the_fullest_is_kept():
    edited = STORY.replace("twelve million", "12 million") + " Work starts in June."
    a = art(source="Wire", text=STORY, url="https://wire.example/1")
    b = art(source="Paper", text=edited, url="https://paper.example/9")
    c = art(source="Other", text="A storm hit the coast on Tuesday. Thousands lost power. "
                                 "Crews worked through the night to restore it.")
    stories = merge_duplicates([a, b, c])
    assert len(stories) == 2
    kept = stories[0][0]
    assert kept.source == "Paper" and kept.also_in == ["Wire"]
    assert stories[1][0].also_in == []


def test_short_identical_bodies_are_not_one_story():
    a = art(text="[link] [comments]", url="https://r.example/1", title="One")
    b = art(text="[link] [comments]", url="https://r.example/2", title="Two")
    assert len(merge_duplicates([a, b])) == 2


def test_thousands_of_articles_find_exactly_the_planted_copies():
    rng = random.Random(7)
    words = [f"w{i}" for i in range(5000)]
    texts = [" ".join(rng.choice(words) for _ in range(120)) for _ in range(3000)]
    articles = [art(text=t, source=f"S{i}") for i, t in enumerate(texts)]
    for i in range(10):  # a copy with one word changed
        copy = texts[i * 100].split()
        copy[60] = "changed"
        articles.append(art(text=" ".join(copy), source=f"copy{i}"))
    groups = [g for g in group_duplicates(articles) if len(g) > 1]
    assert sorted(groups) == sorted([[i * 100, 3000 + i] for i in range(10)])


FULL = " ".join(f"The council met on day {i} and voted on the bridge budget again."
                for i in range(40))


def test_a_teaser_is_merged_with_its_full_story_under_another_url():
    teaser = art(source="Feed", url="https://feed.example/t/1",
                 text=" ".join(FULL.split()[:40]) + " …")
    full = art(source="Paper", url="https://paper.example/bridge-story", text=FULL)
    [(kept, versions)] = merge_duplicates([teaser, full])
    assert kept.source == "Paper" and kept.also_in == ["Feed"] and len(versions) == 2
    # Jaccard alone would not have found it
    assert len(group_duplicates([teaser, full], contained=None)) == 2


def test_a_round_up_of_several_teasers_merges_with_none_of_them():
    other = " ".join(f"Storm number {i} hit the coast and crews restored the power lines."
                     for i in range(40))
    a = art(source="A", url="https://a.example/1", text=FULL)
    b = art(source="B", url="https://b.example/2", text=other)
    roundup = art(source="C", url="https://c.example/3",
                  text=" ".join(FULL.split()[:40]) + "\n\n" + " ".join(other.split()[:40]))
    assert len(group_duplicates([a, b, roundup])) == 3


def test_content_hash_needs_twelve_words_however_they_are_spaced():
    from digest.gathering.dedupe import content_hash

    eleven = " ".join(f"w{i}" for i in range(11))
    assert content_hash(eleven) == "" and content_hash("") == "" and content_hash("  ") == ""
    assert content_hash(eleven + " w11") != ""
    assert content_hash(eleven.replace(" ", " — \n ") + "\n\nW11!") == content_hash(
        eleven + " w11")
