"""Interface language: Qt translators for our strings and Qt's own, Chinese by default."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from dissuade.resources import resource_dir

LANGS = {"zh": "zh_CN", "en": "en"}
DEFAULT_LANG = "zh"

_installed: list[QTranslator] = []


def normalise(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def install(lang: str) -> bool:
    """Switch the application's translators to `lang`; False when our catalogue is missing.

    Source strings are English, so English needs no catalogue; Chinese loads
    resources/i18n/dissuade_zh_CN.qm and Qt's own catalogue for standard buttons.
    """
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install() needs a QApplication")
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    ours = QTranslator(app)
    ok = ours.load(str(resource_dir("i18n") / f"dissuade_{LANGS[lang]}.qm"))
    if ok:
        app.installTranslator(ours)
        _installed.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{LANGS[lang]}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return ok
