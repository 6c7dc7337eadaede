"""Stories off the security beat: trade, sports, weather, culture, other countries' security.

They must land like any other article but must not match the U.S.–Mexico security topic.
"""

from __future__ import annotations

from flows.demo.model import Article

GENERAL_ARTICLES: tuple[Article, ...] = (
    Article(
        key="df-frente-frio",
        outlet="diariofronterizo",
        story="chihuahua-cold-front",
        section="clima",
        slug="frente-frio-traera-nevadas-a-la-sierra-de-chihuahua",
        headline="Frente frío traerá nevadas a la sierra de Chihuahua",
        dek="En Juárez se esperan temperaturas bajo cero durante tres noches.",
        author="Redacción Diario Fronterizo",
        local_time="2026-01-12 07:20",
        image_caption="Nevada en Madera, Chihuahua, en una imagen de archivo.",
        image_credit="Foto: Archivo / Diario Fronterizo",
        paragraphs=(
            "El frente frío número 27 y una masa de aire ártico provocarán nevadas en la sierra "
            "de Chihuahua y temperaturas bajo cero en Ciudad Juárez a partir del martes, "
            "informó el Servicio Meteorológico Nacional.",
            "En municipios como Madera, Guachochi y Bocoyna se prevén mínimas de hasta 15 "
            "grados bajo cero, mientras que en Juárez el termómetro podría bajar a 6 grados "
            "bajo cero durante la madrugada.",
            "Protección Civil municipal habilitó cinco albergues y recomendó no usar "
            "calentadores de leña o carbón en espacios cerrados, para evitar intoxicaciones "
            "por monóxido de carbono.",
            "Las autoridades también pidieron a los automovilistas extremar precauciones en la "
            "carretera a Casas Grandes, donde podría formarse hielo sobre el pavimento.",
        ),
    ),
    Article(
        key="ndn-tomateros",
        outlet="noticiasdelnorte",
        story="tomateros-venados-game",
        section="deportes",
        slug="tomateros-vencen-a-venados-y-empatan-la-serie",
        headline="Tomateros vencen 5-3 a Venados y empatan la serie en Culiacán",
        dek="Un cuadrangular en la octava entrada definió el juego en el Estadio Tomateros.",
        author="Ricardo Ayala",
        local_time="2026-01-13 23:50",
        image_caption="Afición en el Estadio Tomateros de Culiacán.",
        image_credit="Foto: Cortesía LMP",
        paragraphs=(
            "Los Tomateros de Culiacán vencieron 5-3 a los Venados de Mazatlán y empataron a un "
            "juego la serie de semifinales de la Liga Mexicana del Pacífico, ante más de 18 mil "
            "aficionados en el Estadio Tomateros.",
            "Con el juego empatado a tres carreras, el jardinero derecho conectó un cuadrangular "
            "de dos carreras en la parte baja de la octava entrada que desató la fiesta en las "
            "tribunas.",
            "El abridor culichi lanzó seis entradas de tres carreras y ocho ponches, y el "
            "cerrador retiró en orden la novena para acreditarse el salvamento.",
            "La serie se traslada a Mazatlán, donde se disputarán el tercer y el cuarto "
            "partido el jueves y el viernes.",
        ),
    ),
    Article(
        key="ndn-peso",
        outlet="noticiasdelnorte",
        story="peso-six-month-high",
        section="negocios",
        slug="el-peso-cierra-en-su-mejor-nivel-en-seis-meses",
        headline="El peso cierra en su mejor nivel en seis meses",
        dek="La moneda mexicana se apoyó en datos de inflación en Estados Unidos.",
        author="Mariana Treviño",
        local_time="2026-01-14 16:15",
        credits=(("reuters", "con información de Reuters"),),
        paragraphs=(
            "El peso mexicano cerró este miércoles en su mejor nivel en seis meses frente al "
            "dólar, apoyado por datos de inflación en Estados Unidos que alimentaron apuestas "
            "de recortes a las tasas de interés, con información de Reuters.",
            "La moneda avanzó 0.6 por ciento en la sesión, mientras que el índice S&P/BMV IPC de "
            "la Bolsa Mexicana de Valores subió 1.1 por ciento, impulsado por emisoras "
            "financieras.",
            "Analistas de bancos regiomontanos advirtieron que la revisión del T-MEC y las "
            "tensiones comerciales con Washington podrían devolver la volatilidad en las "
            "próximas semanas.",
            "Las exportadoras de Nuevo León, en cambio, resienten un peso fuerte que reduce "
            "sus ingresos en moneda nacional.",
        ),
    ),
    Article(
        key="bl-truck-crossings",
        outlet="borderledger",
        story="laredo-truck-crossings-record",
        section="business",
        slug="laredo-truck-crossings-record-tariff-talks",
        headline="Truck crossings at Laredo hit a record as tariff talks loom",
        dek="Importers front-loaded shipments ahead of the USMCA review.",
        author="Elena Castañeda",
        local_time="2026-01-12 11:30",
        paragraphs=(
            "Commercial truck crossings at Laredo's international bridges reached a record in "
            "December as importers rushed shipments ahead of expected tariff talks between "
            "Washington and Mexico City, according to bridge system data.",
            "The World Trade Bridge alone handled more than 600,000 northbound trucks in the "
            "fourth quarter, carrying auto parts, electronics and produce.",
            "Customs brokers said many clients moved orders forward to avoid possible new "
            "duties if talks over steel and aluminum tariffs break down.",
            "City officials said the traffic strained roads on the north side of Laredo and "
            "asked the state for funding to widen access routes to the bridge.",
        ),
    ),
    Article(
        key="gcc-charro-days",
        outlet="gulfcoastcourier",
        story="charro-days-fiesta",
        section="things-to-do",
        slug="charro-days-fiesta-returns-downtown-brownsville",
        headline="Charro Days Fiesta returns to downtown Brownsville with parades and music",
        dek="The binational celebration runs through the last week of February.",
        author="Rosa Elizondo",
        local_time="2026-01-12 10:04",
        image_caption="Dancers at last year's Charro Days parade.",
        image_credit="Courier file photo",
        paragraphs=(
            "Charro Days Fiesta, the binational celebration that has filled downtown "
            "Brownsville with folk dancing, mariachi music and parades since 1938, announced "
            "its schedule on Monday.",
            "Organizers said this year's fiesta will add a children's parade and a night of "
            "conjunto music at Linear Park, and that sister celebrations will take place in "
            "Matamoros.",
            "Volunteers are still needed for the parade routes and the food booths, the Charro "
            "Days organization said.",
            "Tickets for the grand parade grandstand go on sale next week.",
        ),
    ),
    Article(
        key="gcc-freeze-warning",
        outlet="gulfcoastcourier",
        story="valley-hard-freeze",
        section="weather",
        slug="hard-freeze-warning-rio-grande-valley",
        headline="Hard freeze warning issued for the Rio Grande Valley",
        dek="Citrus growers prepare to protect groves as lows near 25 degrees.",
        author="Weather desk",
        local_time="2026-01-14 06:30",
        paragraphs=(
            "The National Weather Service issued a hard freeze warning for Cameron, Hidalgo "
            "and Willacy counties, with overnight lows expected near 25 degrees Wednesday "
            "night.",
            "Citrus growers said they would run irrigation in their groves to protect trees, "
            "and the city of Brownsville opened two warming centers.",
            "Forecasters urged residents to bring pets indoors, cover outdoor pipes and check "
            "on elderly neighbors.",
            "Temperatures should climb back into the 60s by the weekend.",
        ),
    ),
    Article(
        key="gcc-port-vote",
        outlet="gulfcoastcourier",
        story="port-brownsville-vote",
        section="valley",
        slug="port-of-brownsville-expansion-vote",
        headline="Port of Brownsville board to vote on expansion",
        dek="The page was removed after publication.",
        author="Rosa Elizondo",
        local_time="2026-01-13 08:00",
        http_status=404,
        paragraphs=("The Port of Brownsville board is scheduled to vote on a channel expansion.",),
    ),
    Article(
        key="cpw-ecuador-emergency",
        outlet="continentalwire",
        story="ecuador-state-of-emergency",
        section="americas",
        slug="ecuador-state-of-emergency-prison-riots",
        headline="Ecuador declares state of emergency in three provinces after prison riots",
        dek="The government says gangs coordinated the riots from inside the prisons.",
        author="Carla Benítez",
        local_time="2026-01-13 14:10",
        credits=(("continentalwire", "(CPW) —"),),
        paragraphs=(
            "QUITO, Ecuador (CPW) — Ecuador's government declared a 60-day state of emergency "
            "in three coastal provinces on Tuesday after riots in two prisons left at least 15 "
            "inmates dead.",
            "The interior minister said gangs linked to cocaine trafficking coordinated the "
            "riots from inside the prisons and that soldiers had retaken control.",
            "Ecuador has become a major transit point for cocaine shipped from Colombia and "
            "Peru to the United States and Europe.",
            "Human rights groups urged the government to identify the dead quickly and to "
            "inform families.",
        ),
    ),
    Article(
        key="cpw-usmca-review",
        outlet="continentalwire",
        story="usmca-review-calendar",
        section="business",
        slug="usmca-review-talks-calendar",
        headline="US, Mexico and Canada set calendar for trade pact review",
        dek="Officials will meet in Ottawa in March to start the formal review.",
        author="Tom Whitaker",
        local_time="2026-01-15 15:30",
        phase=3,
        credits=(("continentalwire", "(CPW) —"),),
        paragraphs=(
            "WASHINGTON (CPW) — Trade officials from the United States, Mexico and Canada "
            "agreed on Thursday to begin the formal review of their free trade agreement with "
            "a meeting in Ottawa in March.",
            "The review, required by the agreement six years after it took effect, will cover "
            "rules of origin for cars, dairy access and digital trade.",
            "Business groups in all three countries urged negotiators to extend the pact for "
            "another 16 years to give investors certainty.",
            "Mexican Economy Secretary Marcelo Ebrard said Mexico would arrive with proposals "
            "to expand regional supply chains.",
        ),
    ),
    Article(
        key="acn-eln-arauca",
        outlet="agenciacontinental",
        story="eln-releases-soldiers-arauca",
        section="america-latina",
        slug="eln-libera-a-dos-soldados-secuestrados-en-arauca",
        headline="El ELN libera a dos soldados secuestrados en Arauca, Colombia",
        dek="La entrega se hizo a una comisión humanitaria.",
        author="Redacción ACN",
        local_time="2026-01-14 10:45",
        credits=(("agenciacontinental", "(ACN).-"),),
        paragraphs=(
            "Bogotá, 14 ene (ACN).- La guerrilla del Ejército de Liberación Nacional (ELN) "
            "liberó a dos soldados colombianos que mantenía secuestrados desde diciembre en el "
            "departamento de Arauca, en la frontera con Venezuela.",
            "La entrega se realizó a una comisión humanitaria integrada por la Defensoría del "
            "Pueblo y la Iglesia católica, informaron las autoridades.",
            "El Gobierno colombiano suspendió los diálogos con el ELN tras una ola de ataques "
            "en la región del Catatumbo el año pasado.",
            "Los militares se encuentran en buen estado de salud, según un primer reporte médico.",
        ),
    ),
    Article(
        key="ndi-apagones",
        outlet="noticiasdelaisla",
        story="havana-blackouts",
        section="cuba",
        slug="apagones-de-hasta-20-horas-en-la-habana",
        headline="Apagones de hasta 20 horas golpean a La Habana",
        dek="La Unión Eléctrica reporta un déficit récord de generación.",
        author="Laura Pérez",
        local_time="2026-01-14 08:25",
        image_caption="Una calle de Centro Habana a oscuras.",
        image_credit="Foto: Noticias de la Isla",
        paragraphs=(
            "Vecinos de varios municipios de La Habana reportaron apagones de hasta 20 horas "
            "este martes, en medio de un déficit de generación eléctrica que la Unión Eléctrica "
            "calificó como uno de los mayores del año.",
            "La falta de combustible y las averías en las termoeléctricas Antonio Guiteras y "
            "Felton mantienen fuera de servicio buena parte de la capacidad del país.",
            "En redes sociales, habaneros denunciaron la pérdida de alimentos y la falta de "
            "agua en edificios que dependen de bombas eléctricas.",
            "Las autoridades prometieron mejoras graduales a partir de la próxima semana.",
        ),
    ),
    Article(
        key="isd-three-kings",
        outlet="islanddispatch",
        story="little-havana-three-kings",
        section="united-states",
        slug="three-kings-parade-little-havana",
        headline="Three Kings Parade Draws Thousands to Little Havana",
        dek="Families lined Calle Ocho for one of Miami's oldest Cuban traditions.",
        author="Alex Smith",
        local_time="2026-01-12 08:30",
        paragraphs=(
            "Thousands of people lined Calle Ocho in Miami's Little Havana on Sunday for the "
            "annual Three Kings Parade, one of the Cuban exile community's oldest traditions.",
            "Floats, marching bands and camels accompanied the three kings along the route, "
            "while vendors sold pastelitos and café cubano to the crowd.",
            "Organizers said the parade, first held in 1971, celebrates the Epiphany as it was "
            "celebrated in Cuba before the revolution.",
            "Local officials and several Cuban American musicians rode in the parade.",
        ),
    ),
)
