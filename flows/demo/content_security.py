"""Outlets' own security reporting (sample stories), including a translation pair and two
different arrests reported on the same day, which must stay separate stories."""

from __future__ import annotations

from flows.demo.model import SECURITY, Article

SECURITY_ARTICLES: tuple[Article, ...] = (
    # Two different cartel arrests on the same day: same sub-topic, different stories.
    Article(
        key="df-arresto-chato",
        outlet="diariofronterizo",
        story="arrest-el-chato-juarez",
        section="seguridad",
        slug="detienen-en-juarez-a-el-chato-presunto-jefe-de-la-linea",
        headline="Detienen en Juárez a ‘El Chato’, presunto jefe de plaza de La Línea",
        dek="Fue capturado en un operativo conjunto en la colonia Riberas del Bravo.",
        author="Adriana Villalobos",
        local_time="2026-01-14 10:30",
        topic=SECURITY,
        image_caption="Elementos de la Guardia Nacional resguardan el domicilio cateado.",
        image_credit="Foto: Diario Fronterizo / Julio Meléndez",
        paragraphs=(
            "Elementos del Ejército, la Guardia Nacional y la Fiscalía del Estado detuvieron "
            "la madrugada de este miércoles en Ciudad Juárez a Eusebio R., alias ‘El Chato’, "
            "señalado como jefe de plaza de La Línea, brazo armado del Cártel de Juárez, en el "
            "suroriente de la ciudad.",
            "La captura ocurrió en un domicilio de la colonia Riberas del Bravo, donde los "
            "agentes aseguraron dos fusiles de asalto, cargadores, un chaleco táctico y "
            "alrededor de 300 dosis de cristal.",
            "El secretario de Seguridad y Protección Ciudadana, Omar García Harfuch, informó en "
            "redes sociales que el detenido es investigado por al menos 12 homicidios y por "
            "el cobro de cuotas a comercios del Valle de Juárez.",
            "De acuerdo con la Fiscalía Zona Norte, ‘El Chato’ coordinaba la venta de droga al "
            "menudeo en tres colonias y mantenía una disputa con células de Gente Nueva, "
            "aliada del Cártel de Sinaloa.",
            "Tras la detención se reforzó la vigilancia en el suroriente de la ciudad ante la "
            "posibilidad de represalias, informó la Secretaría de Seguridad Pública Municipal.",
            "El detenido fue puesto a disposición del Ministerio Público federal, que deberá "
            "resolver su situación jurídica en las próximas horas.",
        ),
    ),
    Article(
        key="ndn-arresto-guero",
        outlet="noticiasdelnorte",
        story="arrest-guero-mecanico-culiacan",
        section="seguridad",
        slug="capturan-en-culiacan-a-operador-de-los-chapitos",
        headline="Capturan en Culiacán a ‘El Güero Mecánico’, operador de Los Chapitos",
        dek="Es señalado como encargado de laboratorios de fentanilo en la sierra de Sinaloa.",
        author="Luis Fernando Garza",
        local_time="2026-01-14 12:45",
        topic=SECURITY,
        image_caption="Marinos en un laboratorio clandestino desmantelado en Sinaloa.",
        image_credit="Foto: Cortesía Semar",
        paragraphs=(
            "Fuerzas federales capturaron este miércoles en Culiacán, Sinaloa, a Jesús Alfredo "
            "M., alias ‘El Güero Mecánico’, identificado como uno de los encargados de producir "
            "fentanilo para la facción de Los Chapitos del Cártel de Sinaloa.",
            "La detención se realizó sin disparos en un taller mecánico del sector Tres Ríos, "
            "donde el hombre presuntamente recibía precursores químicos ocultos en autopartes, "
            "informó la Secretaría de Marina.",
            "Omar García Harfuch, titular de la Secretaría de Seguridad y Protección Ciudadana, "
            "dijo que el detenido tenía una orden de aprehensión con fines de extradición "
            "solicitada por una corte federal de Illinois.",
            "Según el Gabinete de Seguridad, ‘El Güero Mecánico’ supervisaba al menos cuatro "
            "laboratorios en los municipios de Cosalá y Tamazula, de donde salían pastillas "
            "hacia Sonora y Baja California para cruzar a Estados Unidos.",
            "Culiacán vive desde septiembre de 2024 una ola de violencia por la disputa entre "
            "Los Chapitos y Los Mayos, que ha dejado cientos de muertos y desaparecidos.",
            "Las autoridades no descartan que el detenido sea enviado a Estados Unidos en las "
            "próximas semanas, como ha ocurrido con otros operadores del cártel.",
        ),
    ),
    # The sister pair: a Spanish story and its English translation on the sister site.
    Article(
        key="ndi-cubano-houston",
        outlet="noticiasdelaisla",
        story="cuban-arrested-houston-fentanyl",
        section="estados-unidos",
        slug="arrestan-en-houston-a-cubano-acusado-de-distribuir-fentanilo",
        headline="Arrestan en Houston a cubano acusado de distribuir fentanilo del Cártel de "
        "Sinaloa",
        dek="El hombre, de 41 años, llegó a Estados Unidos en 2016.",
        author="Laura Pérez",
        local_time="2026-01-13 09:40",
        topic=SECURITY,
        image_caption="Agentes de la DEA durante un operativo en Houston.",
        image_credit="Foto: Captura de video / DEA Houston",
        paragraphs=(
            "Un cubano de 41 años fue arrestado en Houston, Texas, acusado de distribuir "
            "pastillas de fentanilo suministradas por el Cártel de Sinaloa, informó la "
            "Administración para el Control de Drogas (DEA).",
            "Según la acusación presentada ante una corte federal, el hombre recibía cada mes "
            "cargamentos de miles de pastillas que llegaban desde Sinaloa a través de la "
            "frontera con Tamaulipas.",
            "Los agentes encontraron en su vivienda más de 20.000 pastillas, dos armas de "
            "fuego y cerca de 90.000 dólares en efectivo, de acuerdo con documentos judiciales.",
            "El acusado llegó a Estados Unidos en 2016 por la frontera con México y tenía un "
            "negocio de reparación de autos en el suroeste de la ciudad, que según la fiscalía "
            "servía para ocultar el dinero.",
            "De ser declarado culpable, enfrentaría una pena mínima de diez años de prisión. "
            "Su abogado no respondió a las solicitudes de comentarios.",
        ),
    ),
    Article(
        key="isd-cuban-houston",
        outlet="islanddispatch",
        story="cuban-arrested-houston-fentanyl",
        section="united-states",
        slug="cuban-man-arrested-houston-sinaloa-cartel-fentanyl",
        headline="Cuban Man Arrested in Houston, Accused of Distributing Sinaloa Cartel Fentanyl",
        dek="The 41-year-old arrived in the United States in 2016.",
        author="Laura Pérez",
        local_time="2026-01-13 12:10",
        phase=2,
        topic=SECURITY,
        translation_of="ndi-cubano-houston",
        image_caption="DEA agents during an operation in Houston.",
        image_credit="Photo: Video capture / DEA Houston",
        paragraphs=(
            "A 41-year-old Cuban man has been arrested in Houston, Texas, accused of "
            "distributing fentanyl pills supplied by the Sinaloa Cartel, the Drug Enforcement "
            "Administration (DEA) reported.",
            "According to the indictment filed in federal court, the man received monthly "
            "shipments of thousands of pills that arrived from Sinaloa across the border with "
            "Tamaulipas.",
            "Agents found more than 20,000 pills, two firearms and about $90,000 in cash at his "
            "home, according to court documents.",
            "The defendant arrived in the United States in 2016 through the border with Mexico "
            "and ran an auto repair business in the southwest of the city, which prosecutors "
            "say was used to hide the money.",
            "If convicted, he would face a minimum sentence of ten years in prison. His "
            "attorney did not respond to requests for comment.",
        ),
    ),
    # A cross-language copy: the outlet translates wire copy and credits the agency.
    Article(
        key="df-nogales-fentanilo",
        outlet="diariofronterizo",
        story="nogales-fentanyl-seizure",
        section="seguridad",
        slug="hallan-360-kilos-de-pastillas-de-fentanilo-entre-tomates-en-nogales",
        headline="Hallan 360 kilos de pastillas de fentanilo entre tomates en Nogales",
        dek="El cargamento fue declarado en Culiacán, según las aduanas mexicanas.",
        author="Redacción Diario Fronterizo",
        local_time="2026-01-14 17:30",
        phase=3,
        topic=SECURITY,
        translation_of="cpw-nogales-fentanyl",
        credits=(("continentalwire", "con información de Continental Press Wire"),),
        paragraphs=(
            "Agentes de la Oficina de Aduanas y Protección Fronteriza de Estados Unidos (CBP) "
            "encontraron alrededor de 360 kilos de pastillas de fentanilo ocultas entre cajas "
            "de tomate en un tractocamión que ingresaba desde México por Nogales, Arizona, "
            "con información de Continental Press Wire.",
            "Las pastillas, empacadas al vacío dentro de tarimas huecas, fueron detectadas el "
            "martes luego de que una revisión con rayos X en el cruce comercial Mariposa "
            "mostró irregularidades, según un comunicado de la CBP.",
            "El conductor, un ciudadano mexicano de 34 años con tarjeta de cruce comercial, fue "
            "arrestado y entregado a Investigaciones de Seguridad Nacional (HSI). Las "
            "autoridades no divulgaron su nombre.",
            "Nogales concentra buena parte de las hortalizas que México exporta a Estados "
            "Unidos, y los traficantes han intentado por años esconder droga entre la carga "
            "legal durante la temporada invernal.",
            "Las autoridades mexicanas dijeron que colaboran con la investigación. La Agencia "
            "Nacional de Aduanas de México informó que el cargamento fue declarado en "
            "Culiacán, Sinaloa.",
        ),
    ),
    Article(
        key="gcc-rubio-visit",
        outlet="gulfcoastcourier",
        story="rubio-mexico-city-visit",
        section="border",
        slug="rubio-to-visit-mexico-city-security-talks",
        headline="Rubio to visit Mexico City next month for security talks, State Department says",
        dek="The visit follows weeks of tension over threatened strikes on cartels.",
        author="The Associated Press",
        local_time="2026-01-15 11:20",
        phase=3,
        topic=SECURITY,
        credits=(("ap", "(AP) —"),),
        paragraphs=(
            "WASHINGTON (AP) — Secretary of State Marco Rubio will travel to Mexico City next "
            "month to discuss security cooperation with President Claudia Sheinbaum's "
            "government, the State Department said Thursday.",
            "The announcement came after a meeting in Washington between Rubio and Mexican "
            "Foreign Minister Juan Ramón de la Fuente, which both sides described as "
            "productive.",
            "A department spokesperson said the talks would focus on fentanyl trafficking, "
            "weapons smuggling and the extradition of cartel leaders.",
            "President Donald Trump has said U.S. forces could strike cartels on Mexican soil, "
            "a prospect Sheinbaum has rejected as a violation of Mexico's sovereignty.",
            "Mexican officials said they would present figures on laboratory seizures and "
            "arrests during the visit.",
        ),
    ),
    Article(
        key="df-arsenal-fentanilo",
        outlet="diariofronterizo",
        story="juarez-safehouse-arsenal",
        section="seguridad",
        slug="aseguran-arsenal-y-40-mil-pastillas-en-casa-de-seguridad",
        headline="Aseguran arsenal y 40 mil pastillas de fentanilo en casa de seguridad",
        dek="Hay tres detenidos tras el cateo en la colonia Anapra.",
        author="Julio Meléndez",
        local_time="2026-01-12 19:15",
        topic=SECURITY,
        image_caption="Armas aseguradas en la colonia Anapra.",
        image_credit="Foto: Fiscalía del Estado",
        paragraphs=(
            "Agentes de la Fiscalía General del Estado aseguraron 14 armas largas, miles de "
            "cartuchos y cerca de 40 mil pastillas de fentanilo en una casa de seguridad de la "
            "colonia Anapra, a unos metros del muro fronterizo.",
            "Tres hombres fueron detenidos durante el cateo, realizado tras una denuncia "
            "anónima por la presencia de personas armadas en la zona.",
            "Según la Fiscalía, las pastillas estaban listas para ser cruzadas hacia El Paso, "
            "Texas, en mochilas, a través de huecos en la valla.",
            "Las autoridades estatales informaron que compartirán la información con agencias "
            "estadounidenses en el marco del grupo de seguridad bilateral.",
        ),
    ),
    Article(
        key="df-guardia-nacional",
        outlet="diariofronterizo",
        story="national-guard-chihuahua-border",
        section="seguridad",
        slug="llegan-2-mil-elementos-de-la-guardia-nacional-a-la-frontera",
        headline="Llegan 2 mil elementos de la Guardia Nacional a la frontera de Chihuahua",
        dek="Forman parte del despliegue acordado con Estados Unidos el año pasado.",
        author="Adriana Villalobos",
        local_time="2026-01-15 08:10",
        phase=2,
        topic=SECURITY,
        paragraphs=(
            "Alrededor de 2 mil elementos de la Guardia Nacional arribaron a Ciudad Juárez "
            "para reforzar la vigilancia en la frontera con Texas y Nuevo México, como parte "
            "del despliegue acordado entre los gobiernos de Claudia Sheinbaum y Donald Trump.",
            "Los guardias se sumarán a las tareas de detección de tráfico de armas y de drogas "
            "en los puntos de cruce y en el valle, informó la coordinación estatal.",
            "El despliegue llega en medio de la presión de Washington para reducir el paso de "
            "fentanilo, y tras la detención de varios operadores de grupos criminales en la "
            "ciudad en lo que va del mes.",
            "Autoridades municipales pidieron que los elementos también apoyen en colonias con "
            "altos índices de violencia del suroriente.",
        ),
    ),
    Article(
        key="ndn-harfuch-nl",
        outlet="noticiasdelnorte",
        story="harfuch-nuevo-leon-results",
        section="seguridad",
        slug="harfuch-presenta-resultados-de-seguridad-en-nuevo-leon",
        headline="García Harfuch presenta resultados de seguridad en Nuevo León",
        dek="El secretario destacó la baja de homicidios en la zona metropolitana.",
        author="Luis Fernando Garza",
        local_time="2026-01-12 13:30",
        topic=SECURITY,
        paragraphs=(
            "El secretario de Seguridad y Protección Ciudadana, Omar García Harfuch, encabezó "
            "en Monterrey una reunión con autoridades estatales en la que presentó los "
            "resultados de la estrategia de seguridad en Nuevo León.",
            "El funcionario dijo que los homicidios dolosos en la zona metropolitana "
            "disminuyeron durante el último trimestre y que se detuvo a más de 200 presuntos "
            "integrantes de grupos criminales.",
            "García Harfuch destacó la coordinación con agencias de Estados Unidos para "
            "rastrear armas que ingresan por la frontera de Tamaulipas y Nuevo León.",
            "Empresarios regiomontanos pidieron reforzar la seguridad en las carreteras que "
            "conectan Monterrey con Nuevo Laredo, por donde cruza buena parte del comercio "
            "con Texas.",
        ),
    ),
    Article(
        key="bl-fentanyl-jury",
        outlet="borderledger",
        story="laredo-fentanyl-ring-conviction",
        section="courts",
        slug="jury-convicts-laredo-man-fentanyl-pill-ring",
        headline="Federal jury convicts Laredo man in fentanyl pill ring",
        dek="Prosecutors said the ring moved pills from Nuevo Laredo to San Antonio.",
        author="Daniel Cortez",
        local_time="2026-01-13 15:45",
        topic=SECURITY,
        revised_headline=(3, "Laredo man convicted of running fentanyl pill ring tied to cartel"),
        paragraphs=(
            "A federal jury in Laredo on Tuesday convicted a 29-year-old man of conspiring to "
            "distribute fentanyl pills smuggled from Nuevo Laredo, Mexico, to buyers in San "
            "Antonio and Houston.",
            "Prosecutors said the man coordinated couriers who crossed the international "
            "bridges on foot with pills hidden in their clothing, and that the ring was "
            "supplied by a Gulf Cartel faction.",
            "Jurors deliberated for about four hours after a weeklong trial. The man faces a "
            "minimum of 10 years in federal prison when he is sentenced in April.",
            "The case was investigated by the Drug Enforcement Administration and Homeland "
            "Security Investigations with help from the Laredo Police Department.",
        ),
    ),
    Article(
        key="bl-laredo-sector",
        outlet="borderledger",
        story="laredo-sector-apprehensions",
        section="border",
        slug="laredo-sector-apprehensions-lowest-january",
        headline="Laredo sector reports fewest migrant apprehensions in years",
        dek="Agents are shifting to drug interdiction as crossings fall.",
        author="Daniel Cortez",
        local_time="2026-01-14 09:05",
        topic=SECURITY,
        paragraphs=(
            "Border Patrol agents in the Laredo sector recorded the fewest migrant "
            "apprehensions in years during the first two weeks of January, and the sector's "
            "chief said agents were shifting time to drug interdiction.",
            "Checkpoints on Interstate 35 north of Laredo seized more methamphetamine and "
            "fentanyl in the last quarter than in any quarter on record, according to figures "
            "shared with The Border Ledger.",
            "Mexican authorities in Nuevo Laredo have also stepped up patrols along the river "
            "under the security arrangement between the two governments.",
            "Immigrant advocates said the decline reflected fear and new restrictions rather "
            "than lower need, and that shelters in Nuevo Laredo remain full.",
        ),
    ),
    Article(
        key="bl-preview-cartel-bridge",
        outlet="borderledger",
        story="laredo-preview-draft",
        section="border",
        slug="draft-bridge-inspections",
        path="/preview/2026/01/15/draft-bridge-inspections/",
        headline="DRAFT: Bridge inspections story (do not publish)",
        dek="Preview link accidentally included in the feed.",
        author="Daniel Cortez",
        local_time="2026-01-15 07:00",
        phase=2,
        topic=SECURITY,
        paragraphs=(
            "This preview page is disallowed by robots.txt and must not be fetched by polite "
            "crawlers even though the newsroom's feed links to it.",
        ),
    ),
    Article(
        key="gcc-matamoros-bridge",
        outlet="gulfcoastcourier",
        story="matamoros-gunfire-bridge",
        section="border",
        slug="gunfire-matamoros-closes-international-bridge",
        headline="Gunfire in Matamoros closes international bridge for hours",
        dek="Brownsville police urged residents to avoid the downtown crossing.",
        author="Rosa Elizondo",
        local_time="2026-01-13 20:40",
        topic=SECURITY,
        paragraphs=(
            "The Gateway International Bridge between Brownsville and Matamoros was closed for "
            "about three hours Tuesday evening after gunfire broke out near the Mexican side "
            "of the crossing, officials said.",
            "Tamaulipas authorities said soldiers clashed with armed men believed to belong to "
            "a faction of the Gulf Cartel. No injuries were reported on the U.S. side.",
            "U.S. Customs and Border Protection halted northbound and southbound traffic as a "
            "precaution and reopened the bridge shortly before midnight.",
            "The U.S. State Department advises Americans not to travel to Tamaulipas because "
            "of crime and kidnapping.",
        ),
    ),
    Article(
        key="acn-gn-sinaloa",
        outlet="agenciacontinental",
        story="national-guard-sinaloa-deployment",
        section="mexico",
        slug="despliegan-mil-elementos-en-sinaloa-tras-jornada-violenta",
        headline="Despliegan mil elementos federales en Sinaloa tras jornada violenta",
        dek="Se registraron enfrentamientos en Culiacán y Navolato.",
        author="Redacción ACN",
        local_time="2026-01-15 09:30",
        phase=2,
        topic=SECURITY,
        credits=(("agenciacontinental", "(ACN).-"),),
        paragraphs=(
            "Culiacán, 15 ene (ACN).- El Gabinete de Seguridad desplegó mil elementos del "
            "Ejército y de la Guardia Nacional en Sinaloa, luego de una jornada de "
            "enfrentamientos en Culiacán y Navolato que dejó al menos ocho muertos.",
            "Los choques se atribuyen a la disputa entre facciones del Cártel de Sinaloa, que "
            "se mantiene desde septiembre de 2024.",
            "El secretario de la Defensa Nacional dijo que los efectivos reforzarán la "
            "vigilancia en carreteras y en la zona serrana, donde operan laboratorios de "
            "drogas sintéticas.",
            "Escuelas de Culiacán suspendieron clases presenciales por segundo día consecutivo.",
        ),
    ),
)
