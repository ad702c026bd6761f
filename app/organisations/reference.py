"""Reference organisations: the SIP, the 25 regional governments and Lima Metropolitana.

INEI department codes are the stable identifiers (RENIEC's codes differ and are kept as an
attribute); see shared/domain/FACTS.md §2 for the sources.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    inei: str
    reniec: str
    iso: str
    name: str
    capital: str


SIP = {"code": "SIP", "name": "Secretaría de Integridad Pública", "short_name": "SIP"}

REGIONS = (
    Region("01", "01", "PE-AMA", "Amazonas", "Chachapoyas"),
    Region("02", "02", "PE-ANC", "Áncash", "Huaraz"),
    Region("03", "03", "PE-APU", "Apurímac", "Abancay"),
    Region("04", "04", "PE-ARE", "Arequipa", "Arequipa"),
    Region("05", "05", "PE-AYA", "Ayacucho", "Ayacucho"),
    Region("06", "06", "PE-CAJ", "Cajamarca", "Cajamarca"),
    Region("07", "24", "PE-CAL", "Callao", "Callao"),
    Region("08", "07", "PE-CUS", "Cusco", "Cusco"),
    Region("09", "08", "PE-HUV", "Huancavelica", "Huancavelica"),
    Region("10", "09", "PE-HUC", "Huánuco", "Huánuco"),
    Region("11", "10", "PE-ICA", "Ica", "Ica"),
    Region("12", "11", "PE-JUN", "Junín", "Huancayo"),
    Region("13", "12", "PE-LAL", "La Libertad", "Trujillo"),
    Region("14", "13", "PE-LAM", "Lambayeque", "Chiclayo"),
    # The Lima regional government covers Lima department minus Lima province (Ley 27867, art. 65).
    Region("15", "14", "PE-LIM", "Lima", "Lima"),
    Region("16", "15", "PE-LOR", "Loreto", "Iquitos"),
    Region("17", "16", "PE-MDD", "Madre de Dios", "Puerto Maldonado"),
    Region("18", "17", "PE-MOQ", "Moquegua", "Moquegua"),
    Region("19", "18", "PE-PAS", "Pasco", "Cerro de Pasco"),
    Region("20", "19", "PE-PIU", "Piura", "Piura"),
    Region("21", "20", "PE-PUN", "Puno", "Puno"),
    Region("22", "21", "PE-SAM", "San Martín", "Moyobamba"),
    Region("23", "22", "PE-TAC", "Tacna", "Tacna"),
    Region("24", "23", "PE-TUM", "Tumbes", "Tumbes"),
    Region("25", "25", "PE-UCA", "Ucayali", "Pucallpa"),
)

# Lima province belongs to no region; the Municipalidad Metropolitana de Lima holds its regional powers.
LIMA_METROPOLITANA = Region("1501", "1401", "PE-LMA", "Municipalidad Metropolitana de Lima", "Lima")


def regional_government_name(region: Region) -> str:
    return f"Gobierno Regional de {region.name}"


def regional_government_code(region: Region) -> str:
    return f"GORE-{region.inei}"
