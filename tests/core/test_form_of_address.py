"""Spanish speaks to the reader as "usted": the interface, the e-mails and the courses (courses/README.md).

The check looks for forms that can only be "tú". Many "tú" forms cannot be told apart from
"usted" by the word alone, so they are left out on purpose:

- affirmative imperatives (revisa, elige, escribe, completa…) are also the third person of the
  indicative, which is how "usted" and every character speak: "La entidad revisa…", "Acepta el
  almuerzo y le avisa…". The interface seldom opens a sentence or a clause with one of them in the
  third person, so in the catalogue a listed imperative is looked for there (after a full stop, a
  colon, a comma…); in courses, not at all.
- "ve" (usted ve), "ven" (ellos ven), "di" (yo di), "sé" (yo sé), "sal" (the salt) and "viste" (él
  viste) have other readings; "eras" is also a plural noun.
- an imperative with "lo", "la" or "le" ("compártelo") reads like an usted imperative of a verb in
  -er or -ir ("escríbalo"), so only the pronoun "te", which usted never takes, is looked for by its
  ending ("pregúntate"); the interface's usual ones ("inténtalo", "guárdalos") are listed by name.

Characters in a case may say "tú" to one another: in course texts, anything between «», “” or ""
and lines of dialogue that open with a dash are skipped. The catalogue has no such speech.
"""

import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from app.factory import PROJECT_ROOT

# fmt: off
# Pronouns and possessives; the present, present subjunctive, imperfect and conditional of common
# verbs (not those that are also plural nouns: esperas, firmas, descargas); imperatives that have no
# other reading, and the interface's usual imperatives carrying a pronoun (inténtalo, guárdalos).
WORDS = {
    "tú", "tu", "tus", "ti", "te", "contigo", "tuyo", "tuya", "tuyos", "tuyas",
    "tienes", "tengas", "puedes", "puedas", "debes", "debas", "quieres", "quieras", "eres", "seas", "estás",
    "estés", "sabes", "sepas", "vas", "vayas", "haces", "hagas", "dices", "digas", "das", "ves", "crees", "creas",
    "necesitas", "necesites", "conoces", "conozcas", "vienes", "vengas", "sientes", "prefieres", "has", "hayas",
    "uses", "aceptes", "olvides", "dejes", "estabas", "tenías", "podías", "sabías", "querías", "debías", "ibas",
    "hacías", "harías", "podrías", "deberías", "dirías", "tendrías", "sabrías", "querrías", "serías", "estarías",
    "apruebas", "recibes", "aprendes", "escribes", "eliges", "revisas", "ingresas", "usas", "obtienes", "pierdes",
    "olvidas", "intentas", "envías", "respondes", "terminas", "empiezas", "sigues", "vuelves", "entras",
    "cierras",
    "haz", "hazlo", "hazte", "pon", "ponlo", "ponte", "ten", "tenlo", "vete", "dime", "dile",
    "inténtalo", "compártelo", "compártela", "quítalo", "quítalos", "agrégalo", "agrégala", "guárdalo",
    "guárdala", "guárdalos", "descárgalo", "descárgala", "imprímelo", "imprímelos", "anótalo", "anótalos",
    "envíalo", "envíala", "recházala", "recházalo", "restablécela", "revísalo", "revísala", "úsalo", "úsala",
    "léelo", "léela", "escríbelo", "escríbela", "complétalo", "cámbiala", "cámbialo", "confírmalo", "elígelo",
    "elígela",
}
# Future (aprenderás), preterite (aprobaste, pediste, leíste), a gerund or an infinitive carrying
# "te" (registrándote, registrarte), and an imperative carrying it (pregúntate, comprométete).
ENDINGS = re.compile(
    r"\w+rás|\w+aste|\w+[ií]ste|\w+(?:ándo|iéndo|éndo)te|\w+(?:ar|er|ir)te|\w*[áéíóú]\w*(?:ate|ete)(?:l[oa]s?)?"
)
# Words with those endings that are not "tú": nouns and adverbs, the third person of -sistir and
# -istir verbs (insiste, existe), and usted's subjunctive of verbs in -astar, -istar, -artar and
# -ertar (gaste, entreviste, descarte, inserte).
NOT_TU = {
    "atrás", "detrás", "contraste", "desgaste", "malgaste", "gaste", "baste", "aplaste", "devaste", "engaste",
    "subaste", "traste", "triste", "chiste", "quiste", "alpiste", "despiste", "embiste", "viste", "reviste",
    "liste", "aliste", "enliste", "conquiste", "entreviste", "aviste", "arte", "marte", "baluarte", "estandarte",
    "descarte", "encarte", "suerte", "muerte", "fuerte", "inerte", "alerte", "oferte", "injerte", "deserte",
}
NOT_TU_SUFFIXES = ("siste", "xiste", "parte", "ierte", "uerte", "serte")
# Imperatives an interface message could open a sentence with; usted says "escriba", "elija"…
IMPERATIVES = {
    "abre", "acepta", "acorta", "agrega", "añade", "busca", "cambia", "cierra", "completa", "comprueba",
    "comparte", "confirma", "consulta", "copia", "corrige", "crea", "descarga", "elige", "envía", "escanea",
    "escribe", "espera", "guarda", "indica", "ingresa", "inicia", "instala", "intenta", "introduce", "lee",
    "marca", "mira", "pide", "presiona", "pulsa", "rechaza", "recuerda", "regresa", "responde", "revisa",
    "selecciona", "sigue", "sube", "termina", "usa", "verifica", "vuelve",
}
# fmt: on
WORD = re.compile(r"[^\W\d_]+")
SENTENCE_START = re.compile(r"(?:^|[.,:;!?¿¡(\n])\s*(?:(?:[oy]|primero)\s+)?([^\W\d_]+)", re.IGNORECASE)
PLACEHOLDERS_AND_TAGS = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\{[^{}]*\}|<[^>]*>")
QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"\n]*\"")
DIALOGUE_LINE = re.compile(r"^\s*[—–].*$", re.MULTILINE)


def tu_forms(text, *, leading_imperatives=False):
    """The words of *text* that address the reader as "tú"."""
    text = PLACEHOLDERS_AND_TAGS.sub(" ", text)
    found = []
    for word in WORD.findall(text):
        if len(word) > 1 and word.isupper():  # an acronym: TI, TU
            continue
        lower = word.lower()
        if lower in NOT_TU or lower.endswith(NOT_TU_SUFFIXES):
            continue
        if lower in WORDS or ENDINGS.fullmatch(lower):
            found.append(word)
    if leading_imperatives:
        found += [w for w in SENTENCE_START.findall(text) if w.lower() in IMPERATIVES]
    return found


def course_voice(text):
    """*text* without what its characters say: quoted speech and lines of dialogue."""
    return DIALOGUE_LINE.sub(" ", QUOTED.sub(" ", text))


def _spanish_values(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "es" and isinstance(value, str):
                yield value
            else:
                yield from _spanish_values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _spanish_values(value)


def course_problems(root: Path):
    """`file: words` for every Spanish course text under *root* that says "tú" in its own voice."""
    problems = []
    for path in sorted(root.rglob("*")):
        if path.name.endswith(".es.md"):
            texts = [path.read_text(encoding="utf-8")]
        elif path.suffix == ".yaml":
            texts = list(_spanish_values(yaml.safe_load(path.read_text(encoding="utf-8"))))
        else:
            continue
        for text in texts:
            if words := tu_forms(course_voice(text)):
                problems.append(f"{path.relative_to(root)}: {', '.join(words)}")
    return problems


def test_every_spanish_message_addresses_the_reader_as_usted():
    path = PROJECT_ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="es")
    problems = []
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            if message.id and (words := tu_forms(string, leading_imperatives=True)):
                problems.append(f"{message.id!r}: {', '.join(words)}")
    assert problems == []


def test_every_course_addresses_the_reader_as_usted():
    assert course_problems(PROJECT_ROOT / "courses") == []


@pytest.mark.parametrize(
    "text",
    [
        "Escribe tu correo electrónico.",
        "¿Olvidaste tu contraseña?",
        "Te enviamos un enlace.",
        "Solo tú puedes verlo.",
        "Puedes intentarlo de nuevo.",
        "Aprobaste la evaluación final.",
        "Todavía no pediste ninguna medida.",
        "Lo que aprenderás",
        "Para registrarte, acepta el aviso.",
        "Pregúntate qué has hecho.",
        "Cuenta contigo y con tus colegas.",
        "Haz una lista.",
        "Está en tus manos.",
    ],
)
def test_the_check_finds_tu(text):
    assert tu_forms(text)


@pytest.mark.parametrize(
    "text",
    [
        "Escriba su correo electrónico. Le enviamos un enlace.",
        "¿Olvidó su contraseña? Solo usted puede verlo y lo que aprenderá le sirve.",
        "La entidad revisa la obra, comparte el informe y Rosa acepta la caja.",
        "Pídala por escrito, escríbalos y recíbala; pregúntese qué ha hecho.",
        "Existe un canal; la Ley insiste y consiste en un contraste de estos trámites.",
        "Parte de la suerte queda atrás, aparte de la contraparte del área de TI.",
        "El límite del trámite se advierte y se convierte en un despiste.",
        "Inserte el código y entreviste al postor.",
        "Ante la gente, el presente informe es parte de su ética.",
    ],
)
def test_the_check_leaves_usted_and_lookalikes_alone(text):
    assert tu_forms(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "En la aplicación, agregue una cuenta y escanee este código:",
        "O suba el archivo. Primero complete: %(courses)s.",
        "Aprende a su ritmo. Al terminar, recibe una constancia que cualquiera puede verificar.",
        "Guardar mi plan",
    ],
)
def test_interface_messages_in_usted_have_no_leading_imperative(text):
    assert tu_forms(text, leading_imperatives=True) == []


def test_leading_imperatives_are_looked_for_only_when_asked():
    assert tu_forms("Revisa el formulario.") == []
    assert tu_forms("Revisa el formulario.", leading_imperatives=True) == ["Revisa"]
    assert tu_forms("Algo falló. Vuelve a cargar la página.", leading_imperatives=True) == ["Vuelve"]
    assert tu_forms("En la aplicación, agrega una cuenta:", leading_imperatives=True) == ["agrega"]


REFLECTION = "- id: r\n  kind: reflection\n  prompt:\n    es: {es}\n    en: What would you do?\n"


def test_a_course_may_quote_tu_but_not_speak_it(tmp_path):
    lesson = tmp_path / "demo" / "modules" / "01-intro" / "01-welcome.es.md"
    lesson.parent.mkdir(parents=True)
    activities = lesson.parent / "activities.yaml"
    lesson.write_text(
        "---\ntitle: Bienvenida\n---\n\n"
        'Un colega le dice: «tú recién llegas». Otro: "no te compliques". Y un tercero: “para ti”.\n'
        "— Tú sabes cómo es esto —le dice su jefe.\n",
        encoding="utf-8",
    )
    activities.write_text(REFLECTION.format(es="¿Qué haría usted?"))
    assert course_problems(tmp_path) == []

    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nRevisa tu correo antes de seguir.\n", encoding="utf-8")
    activities.write_text(REFLECTION.format(es="¿Qué harías tú?"))
    assert course_problems(tmp_path) == [
        "demo/modules/01-intro/01-welcome.es.md: tu",
        "demo/modules/01-intro/activities.yaml: harías, tú",
    ]
