"""Text tools shared by the stages: cleaning, paragraphs and sentences, words, language.

Takes plain text and gives cleaned text (`clean_text`), sentences (`split_sentences`,
`split_paragraph_sentences`), word tokens (`words`) and an ISO 639-1 code (`detect_language`).
Everything works offline: no NLTK data is needed.
"""

from digest.text.clean import clean_text
from digest.text.language import detect_language
from digest.text.sentences import paragraphs, split_paragraph_sentences, split_sentences, words

__all__ = ["clean_text", "detect_language", "paragraphs", "split_paragraph_sentences",
           "split_sentences", "words"]
