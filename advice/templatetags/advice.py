from django import template

from advice.topics import plain_words as topic_words

register = template.Library()


@register.filter
def plain_words(determinant) -> str:
    return topic_words(determinant)
