"""Japanese display text cut into phrases (文節, roughly), where a heading or a title may break.

Neither Pango (the print edition) nor Word and LibreOffice know Japanese word boundaries; they break
between any two characters. Headings and titles are short display text, for which a heuristic does:
a phrase ends after a run of kana (particles, 送り仮名) before anything else, and after ・ and spaces.
"""

from __future__ import annotations

import re

_PHRASE_END = re.compile(r"(?<=[\u3041-\u309f])(?=[^\u3041-\u309f\s、。）」』】])|(?<=[・ 　])")


def phrases(text: str) -> list[str]:
    """「科学技術・イノベーション創出の振興に関する」 → 科学技術・ | イノベーション創出の | 振興に | 関する."""
    return [part for part in _PHRASE_END.split(text) if part]
