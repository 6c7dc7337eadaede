"""Wire stories on the demo agencies' own sites. Sample reporting, not real events.

Re-publications of these stories by the outlets live in `content_copies`.
"""

from __future__ import annotations

from flows.demo.model import SECURITY, AgencyText, Article

WIRE_ARTICLES: tuple[Article, ...] = (
    Article(
        key="cpw-sheinbaum-rubio",
        outlet="continentalwire",
        story="sheinbaum-rubio-talks",
        section="americas",
        slug="mexico-sheinbaum-rubio-cartels-ground-strikes",
        headline="Sheinbaum sends top diplomat to Rubio as Trump vows ground strikes on cartels",
        dek="Mexico's president says cooperation with Washington is essential but sovereignty is "
        "not negotiable.",
        author="Maria Alvarado",
        local_time="2026-01-12 17:40",
        topic=SECURITY,
        credits=(("continentalwire", "(CPW) —"),),
        image_caption="President Claudia Sheinbaum speaks at her morning news conference.",
        image_credit="Photo: Continental Press Wire / Daniel Reyes",
        paragraphs=(
            "MEXICO CITY (CPW) — Mexican President Claudia Sheinbaum said Monday she has "
            "instructed Foreign Minister Juan Ramón de la Fuente to meet U.S. Secretary of State "
            "Marco Rubio, seeking to shore up security cooperation days after President Donald "
            "Trump said the United States would begin striking drug cartels on land.",
            "“Collaboration and coordination with the United States are essential because we "
            "are neighbors, but our sovereignty is not up for negotiation,” Sheinbaum told "
            "her morning news conference at the National Palace.",
            "Trump said in a television interview on Thursday that the cartels were “running "
            "Mexico” and that, after choking off most maritime smuggling routes, U.S. forces "
            "would “start hitting land.” He did not say where or when such operations might "
            "take place.",
            "Sheinbaum has repeatedly rejected any U.S. military action on Mexican soil, arguing "
            "that it would not reduce violence or drug trafficking. Her government instead "
            "points to a bilateral security group that meets regularly to share information on "
            "laboratory seizures, arrests and weapons smuggled south from the United States.",
            "Security Secretary Omar García Harfuch said Mexican forces dismantled hundreds of "
            "clandestine drug laboratories last year and that arrests of cartel operatives had "
            "risen sharply. “The results are there, and we share them with our counterparts,” "
            "he said.",
            "The exchange comes as Washington presses Mexico to act against the Sinaloa and "
            "Jalisco New Generation cartels, which the Trump administration designated as "
            "foreign terrorist organizations last year.",
            "Analysts in Mexico City said the request for a meeting with Rubio was an attempt "
            "to keep the dispute inside diplomatic channels. “Sheinbaum is trying to show "
            "results quickly enough that Washington does not feel it has to act alone,” said a "
            "former Mexican ambassador who asked not to be named.",
            "De la Fuente is expected to travel to Washington in the coming days, the Foreign "
            "Ministry said. The State Department did not immediately respond to a request for "
            "comment.",
        ),
    ),
    Article(
        key="cpw-nogales-fentanyl",
        outlet="continentalwire",
        story="nogales-fentanyl-seizure",
        section="americas",
        slug="nogales-port-fentanyl-pills-tomato-shipment",
        headline="Officers find 800 pounds of fentanyl pills hidden in tomato load at Nogales",
        dek="The seizure at the Mariposa crossing is one of the largest at an Arizona port "
        "this year, officials say.",
        author="Tom Whitaker",
        local_time="2026-01-14 21:05",
        phase=2,
        topic=SECURITY,
        credits=(("continentalwire", "(CPW) —"),),
        image_caption="Trucks wait to cross at the Mariposa port of entry in Nogales, Arizona.",
        image_credit="Photo: Continental Press Wire / Ana Lucero",
        paragraphs=(
            "NOGALES, Ariz. (CPW) — U.S. Customs and Border Protection officers found about 800 "
            "pounds of fentanyl pills hidden among boxes of Roma tomatoes in a tractor-trailer "
            "entering from Mexico, the agency said Wednesday, one of the largest seizures at an "
            "Arizona port of entry this year.",
            "The pills, packed in vacuum-sealed bundles inside hollowed-out pallets, were "
            "detected Tuesday after an X-ray scan at the Mariposa commercial crossing showed "
            "irregularities, according to a CBP statement.",
            "The driver, a 34-year-old Mexican citizen with a commercial crossing card, was "
            "arrested and turned over to Homeland Security Investigations. Officials did not "
            "release his name.",
            "“This load was built to look like every other produce truck that crosses here in "
            "winter,” the port director said. “Our officers and our scanning technology found "
            "it anyway.”",
            "Nogales handles a large share of the fresh produce Mexico exports to the United "
            "States, and traffickers have long tried to hide drugs among legitimate cargo during "
            "the winter harvest, when hundreds of trucks cross each day.",
            "The seizure comes amid pressure from the Trump administration on Mexico to stop "
            "the flow of fentanyl, which U.S. officials blame on the Sinaloa cartel and the "
            "Jalisco New Generation cartel.",
            "Mexican authorities said they were cooperating with the investigation. The "
            "Mexican customs agency said the shipment had been declared in Culiacán, Sinaloa.",
        ),
    ),
    Article(
        key="acn-extradiciones",
        outlet="agenciacontinental",
        story="mexico-sends-37-to-us",
        section="mexico",
        slug="mexico-envia-eu-37-presuntos-narcotraficantes",
        headline="México envía a Estados Unidos a 37 presuntos integrantes de cárteles",
        dek="La Fiscalía General de la República informó que el traslado se hizo a petición del "
        "Departamento de Justicia.",
        author="Redacción ACN",
        local_time="2026-01-13 11:20",
        topic=SECURITY,
        credits=(("agenciacontinental", "(ACN).-"),),
        image_caption="Un avión de la Fiscalía General de la República en el AICM.",
        image_credit="Foto: ACN / Archivo",
        paragraphs=(
            "Ciudad de México, 13 ene (ACN).- El Gobierno de México envió este martes a Estados "
            "Unidos a 37 presuntos integrantes de organizaciones criminales, entre ellos "
            "operadores del Cártel de Sinaloa y del Cártel Jalisco Nueva Generación, informó "
            "la Fiscalía General de la República (FGR).",
            "El traslado se realizó en aeronaves de la FGR desde distintos penales del país y "
            "respondió a una solicitud del Departamento de Justicia estadounidense, detalló el "
            "Gabinete de Seguridad en un comunicado.",
            "El secretario de Seguridad y Protección Ciudadana, Omar García Harfuch, afirmó "
            "que los enviados representan “un riesgo para la seguridad de ambos países” y que "
            "la decisión se tomó “en el marco de la cooperación, sin subordinación”.",
            "Entre los trasladados se encuentran presuntos responsables de laboratorios de "
            "metanfetamina y fentanilo en Sinaloa y Michoacán, así como operadores financieros "
            "señalados por lavado de dinero en Baja California y Chihuahua.",
            "Es el tercer envío masivo de reos a Estados Unidos en menos de un año, luego de "
            "los realizados en 2025, en medio de la presión del presidente Donald Trump, quien "
            "ha amenazado con aranceles y con acciones militares contra los cárteles.",
            "La presidenta Claudia Sheinbaum defendió la medida en su conferencia matutina. "
            "“Nosotros actuamos conforme a nuestras leyes y a nuestra soberanía”, dijo.",
            "Los detenidos serán presentados ante cortes federales en Texas, California, Nueva "
            "York y Washington, de acuerdo con la FGR.",
        ),
    ),
    Article(
        key="acn-aranceles-acero",
        outlet="agenciacontinental",
        story="steel-tariff-review",
        section="economia",
        slug="mexico-eu-mesa-aranceles-acero-aluminio",
        headline="México y EE.UU. abren mesa para revisar aranceles al acero y al aluminio",
        dek="La Secretaría de Economía prevé un acuerdo antes de la revisión del T-MEC.",
        author="Redacción ACN",
        local_time="2026-01-13 16:05",
        credits=(("agenciacontinental", "(ACN).-"),),
        image_caption="Bobinas de acero en una planta de Monclova, Coahuila.",
        image_credit="Foto: ACN / Rodrigo Salas",
        paragraphs=(
            "Ciudad de México, 13 ene (ACN).- Los gobiernos de México y Estados Unidos "
            "instalaron este martes una mesa técnica para revisar los aranceles que Washington "
            "impuso a las importaciones de acero y aluminio mexicanos, informó la Secretaría "
            "de Economía.",
            "El secretario de Economía, Marcelo Ebrard, dijo que la meta es alcanzar un "
            "acuerdo de cupos antes de la revisión formal del Tratado entre México, Estados "
            "Unidos y Canadá (T-MEC), prevista para este año.",
            "“Queremos certidumbre para las empresas de ambos lados de la frontera”, señaló el "
            "funcionario, quien añadió que la industria siderúrgica mexicana ha reducido sus "
            "exportaciones por los gravámenes.",
            "La Cámara Nacional de la Industria del Hierro y del Acero estimó que los aranceles "
            "han puesto en riesgo miles de empleos en Coahuila, Nuevo León y Michoacán.",
            "Las conversaciones continuarán en Washington a finales de enero, con la "
            "participación de representantes de la Oficina del Representante Comercial de "
            "Estados Unidos.",
        ),
    ),
)

# EFE copy republished by two outlets; the agency's own page is not part of the demo.
AGENCY_TEXTS: tuple[AgencyText, ...] = (
    AgencyText(
        key="efe-colombia-cauca",
        agency="efe",
        story="colombia-cauca-drone-attack",
        language="es",
        paragraphs=(
            "Bogotá, 13 ene (EFE).- Siete soldados colombianos murieron y otros nueve resultaron "
            "heridos en un ataque con drones cargados de explosivos contra una base militar en "
            "el departamento del Cauca, en el suroeste del país, informó el Ejército.",
            "El ataque fue atribuido a disidencias de las antiguas FARC que operan en la zona y "
            "que se disputan con otros grupos armados las rutas del narcotráfico hacia el "
            "océano Pacífico.",
            "El ministro de Defensa calificó el hecho de “acto terrorista” y anunció el envío "
            "de tropas especiales y sistemas antidrones a la región.",
            "En el último año, el Cauca ha registrado decenas de ataques con drones, una "
            "modalidad que se ha extendido entre los grupos armados ilegales de Colombia.",
            "Organizaciones de derechos humanos pidieron al Gobierno proteger a la población "
            "civil de los municipios cercanos, donde cientos de familias han sido desplazadas.",
        ),
    ),
)
