"""Outlets' re-publications of wire copy, with the usual edits and credit lines."""

from __future__ import annotations

from flows.demo.model import Republication

REPUBLICATIONS: tuple[Republication, ...] = (
    # --- Sheinbaum / Rubio (Continental Press Wire) -----------------------------------
    Republication(
        key="bl-sheinbaum-rubio",
        source="cpw-sheinbaum-rubio",
        outlet="borderledger",
        section="border",
        slug="mexico-seeks-rubio-talks-after-trump-threat",
        headline="Mexico seeks talks with Rubio after Trump's threat of land strikes on cartels",
        dek="Laredo officials watch a dispute that could touch the nation's busiest inland port.",
        author="Continental Press Wire",
        local_time="2026-01-12 14:15",
        credits=(("continentalwire", "(CPW) —"),),
        keep_to=6,
        extra=(
            "In Laredo, where more than 20,000 trucks cross the border on a busy day, business "
            "leaders said they were watching the dispute closely. “Any disruption to security "
            "cooperation shows up here first, in the lines at the bridges,” said the head of a "
            "local customs brokers association.",
        ),
        phase=2,
        image_caption="President Claudia Sheinbaum at the National Palace.",
        image_credit="Continental Press Wire",
    ),
    Republication(
        key="gcc-sheinbaum-rubio",
        source="cpw-sheinbaum-rubio",
        outlet="gulfcoastcourier",
        section="border",
        slug="sheinbaum-turns-to-diplomacy-trump-cartel-warning",
        headline="Sheinbaum turns to diplomacy after Trump's latest cartel warning",
        dek="Mexico's foreign minister is expected in Washington for talks with Marco Rubio.",
        author="Courier staff",
        local_time="2026-01-12 16:30",
        credits=(("continentalwire", "according to a Continental Press Wire report"),),
        lead="Mexican President Claudia Sheinbaum is turning to diplomacy after President Donald "
        "Trump warned that U.S. forces could strike drug cartels inside Mexico, sending her "
        "foreign minister to meet Secretary of State Marco Rubio, according to a Continental "
        "Press Wire report.",
        keep_from=1,
        keep_to=7,
        phase=2,
    ),
    Republication(
        key="isd-sheinbaum-rubio",
        source="cpw-sheinbaum-rubio",
        outlet="islanddispatch",
        section="mexico",
        slug="mexican-president-seeks-stronger-us-coordination",
        headline="Mexican President Seeks to Strengthen U.S. Coordination Amid Trump's Threats to "
        "Target Drug Cartels",
        dek="Sheinbaum says sovereignty and independence are not up for negotiation.",
        author="Alex Smith",
        local_time="2026-01-12 19:10",
        credits=(
            ("agencies", "as reported by international news agencies"),
            ("dw", "according to a DW report"),
        ),
        lead="Mexican President Claudia Sheinbaum has said she wants closer coordination with "
        "the United States while insisting that the nation's sovereignty is non-negotiable, "
        "as reported by international news agencies, after Donald Trump threatened ground "
        "attacks on Mexican drug cartels.",
        keep_from=1,
        keep_to=5,
        extra=(
            "“We have a working group to further strengthen our relationship, and we share "
            "information about seized laboratories,” she explained, according to a DW report.",
        ),
        phase=3,
        image_caption="Donald Trump and Claudia Sheinbaum.",
        image_credit="Image by © X/The White House and video capture YouTube/Government of Mexico",
    ),
    # --- Extraditions (Agencia Continental de Noticias) ---------------------------------
    Republication(
        key="df-extradiciones",
        source="acn-extradiciones",
        outlet="diariofronterizo",
        section="seguridad",
        slug="entregan-eu-37-reos-dos-de-juarez",
        headline="Entregan a EU a 37 reos ligados a cárteles; dos operaban en Juárez",
        dek="Entre los enviados hay dos presuntos integrantes de La Línea, según la FGR.",
        author="Redacción Diario Fronterizo",
        local_time="2026-01-13 12:40",
        credits=(("agenciacontinental", "Con información de ACN."),),
        lead="Dos presuntos operadores de La Línea detenidos en Ciudad Juárez figuran entre los "
        "37 reos que el Gobierno de México envió este martes a Estados Unidos, de acuerdo con "
        "la lista difundida por la Fiscalía General de la República.",
        keep_from=1,
        keep_to=6,
        closing_credit="Con información de ACN.",
        phase=2,
    ),
    Republication(
        key="ndn-extradiciones",
        source="acn-extradiciones",
        outlet="noticiasdelnorte",
        section="seguridad",
        slug="trasladan-a-estados-unidos-37-presuntos-narcotraficantes",
        headline="Trasladan a Estados Unidos a 37 presuntos narcotraficantes",
        dek="El Gabinete de Seguridad dijo que el envío responde a una solicitud de Washington.",
        author="Agencia Continental de Noticias",
        local_time="2026-01-13 13:05",
        credits=(("agenciacontinental", "(ACN).-"),),
        keep_to=6,
        phase=2,
        image_caption="Avión de la FGR.",
        image_credit="Foto: ACN",
    ),
    Republication(
        key="ndi-extradiciones",
        source="acn-extradiciones",
        outlet="noticiasdelaisla",
        section="mexico",
        slug="mexico-vuelve-a-enviar-narcos-a-eeuu",
        headline="México vuelve a enviar decenas de narcos a EE.UU. en plena presión de Trump",
        dek="Es el tercer envío masivo en menos de un año.",
        author="Redacción",
        local_time="2026-01-13 15:30",
        credits=(("agenciacontinental", "de acuerdo con la Agencia Continental de Noticias"),),
        lead="México envió a Estados Unidos a otros 37 presuntos miembros de cárteles del "
        "narcotráfico, en un nuevo gesto hacia la administración de Donald Trump, de acuerdo "
        "con la Agencia Continental de Noticias.",
        keep_from=1,
        keep_to=6,
        phase=3,
    ),
    # --- Nogales fentanyl seizure (Continental Press Wire) -----------------------------
    Republication(
        key="bl-nogales-fentanyl",
        source="cpw-nogales-fentanyl",
        outlet="borderledger",
        section="border",
        slug="800-pounds-fentanyl-pills-nogales-tomatoes",
        headline="800 pounds of fentanyl pills found in tomato shipment at Nogales port",
        dek="Officers found the pills inside hollowed-out pallets, CBP says.",
        author="Continental Press Wire",
        local_time="2026-01-14 16:20",
        credits=(("continentalwire", "(CPW) —"),),
        keep_to=6,
        phase=2,
    ),
    Republication(
        key="gcc-nogales-fentanyl",
        source="cpw-nogales-fentanyl",
        outlet="gulfcoastcourier",
        section="border",
        slug="fentanyl-pills-hidden-tomatoes-arizona-port",
        headline="Fentanyl pills hidden among tomatoes: CBP reports major Arizona seizure",
        dek="Valley ports have seen similar smuggling attempts in produce loads.",
        author="Courier wire services",
        local_time="2026-01-14 18:45",
        credits=(("continentalwire", "Continental Press Wire contributed to this report."),),
        lead="Federal officers in Arizona have found roughly 800 pounds of fentanyl pills "
        "stashed in a shipment of tomatoes, a smuggling method also seen at Rio Grande Valley "
        "ports such as Pharr, the nation's busiest crossing for Mexican produce.",
        keep_from=1,
        keep_to=6,
        closing_credit="Continental Press Wire contributed to this report.",
        phase=3,
    ),
    Republication(
        key="isd-nogales-fentanyl",
        source="cpw-nogales-fentanyl",
        outlet="islanddispatch",
        section="mexico",
        slug="huge-fentanyl-load-found-tomato-truck-arizona",
        headline="Huge Fentanyl Load Found in Tomato Truck Crossing From Mexico Into Arizona",
        dek="The driver, a Mexican citizen, was arrested at the Mariposa crossing.",
        author="Alex Smith",
        local_time="2026-01-14 17:55",
        credits=(("continentalwire", "according to Continental Press Wire"),),
        lead="U.S. border officers discovered about 800 pounds of fentanyl pills in a truck "
        "loaded with tomatoes at the port of Nogales, Arizona, according to Continental Press "
        "Wire.",
        keep_from=1,
        keep_to=5,
        phase=3,
    ),
    # --- Steel tariffs (Agencia Continental de Noticias) -------------------------------
    Republication(
        key="ndn-aranceles-acero",
        source="acn-aranceles-acero",
        outlet="noticiasdelnorte",
        section="negocios",
        slug="instalan-mesa-para-revisar-aranceles-al-acero",
        headline="Instalan mesa para revisar aranceles al acero; Nuevo León, entre los afectados",
        dek="La industria regiosiderúrgica espera un acuerdo de cupos.",
        author="Agencia Continental de Noticias",
        local_time="2026-01-13 17:10",
        credits=(("agenciacontinental", "(ACN).-"),),
        extra=(
            "En Nuevo León, la Cámara de la Industria de Transformación estimó que al menos 40 "
            "empresas proveedoras del sector acerero han reducido turnos desde el año pasado.",
        ),
    ),
    Republication(
        key="df-aranceles-acero",
        source="acn-aranceles-acero",
        outlet="diariofronterizo",
        section="mexico",
        slug="mexico-y-eu-revisaran-aranceles-al-acero",
        headline="México y EU revisarán aranceles al acero y aluminio",
        dek="La Secretaría de Economía busca un acuerdo antes de la revisión del T-MEC.",
        author="Redacción Diario Fronterizo",
        local_time="2026-01-13 17:45",
        credits=(("agenciacontinental", "Con información de ACN."),),
        keep_to=4,
        closing_credit="Con información de ACN.",
        phase=3,
    ),
    Republication(
        key="ndi-aranceles-acero",
        source="acn-aranceles-acero",
        outlet="noticiasdelaisla",
        section="mexico",
        slug="mexico-y-eeuu-negocian-aranceles-al-acero",
        headline="México y EE.UU. negocian el fin de los aranceles al acero",
        dek="Las conversaciones seguirán a finales de enero en Washington.",
        author="Redacción",
        local_time="2026-01-13 18:20",
        credits=(("agenciacontinental", "Agencia Continental de Noticias"),),
        lead="México y Estados Unidos comenzaron a negociar los aranceles al acero y al "
        "aluminio, informó la Agencia Continental de Noticias, en un proceso que podría "
        "aliviar a la industria mexicana antes de la revisión del T-MEC.",
        keep_from=1,
        keep_to=5,
        phase=2,
    ),
    # --- Colombia drone attack (EFE copy, source not in the demo) ----------------------
    Republication(
        key="ndi-colombia-cauca",
        source="efe-colombia-cauca",
        outlet="noticiasdelaisla",
        section="america-latina",
        slug="siete-soldados-muertos-ataque-drones-cauca",
        headline="Mueren siete soldados en ataque con drones en el Cauca, Colombia",
        dek="El Ejército atribuye el ataque a disidencias de las FARC.",
        author="Redacción",
        local_time="2026-01-13 10:15",
        credits=(("efe", "(EFE).-"),),
    ),
    Republication(
        key="df-colombia-cauca",
        source="efe-colombia-cauca",
        outlet="diariofronterizo",
        section="internacional",
        slug="ataque-con-drones-deja-siete-militares-muertos-en-colombia",
        headline="Ataque con drones deja siete militares muertos en Colombia",
        dek="El Gobierno colombiano envía sistemas antidrones al Cauca.",
        author="EFE",
        local_time="2026-01-13 09:50",
        credits=(("efe", "(EFE).-"),),
        keep_to=4,
    ),
)
