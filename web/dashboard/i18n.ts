/** The interface in English, Spanish and Albanian. Data text comes translated from the members (`lang`). */
export const LANGUAGES = { en: 'English', es: 'Español', sq: 'Shqip' } as const;
export type Lang = keyof typeof LANGUAGES;

const en = {
  skip: 'Skip to content',
  appName: 'InfraRed network',
  tagline: 'Feminist, cooperative and antifascist tech collectives',
  navMain: 'Main',
  overview: 'Overview',
  members: 'Members',
  services: 'Services',
  projects: 'Projects',
  identity: 'Token',
  explorer: 'GraphQL explorer',
  language: 'Language',
  refresh: 'Refresh',
  loading: 'Loading…',
  updated: 'Updated {time}',
  anonymous: 'Anonymous',
  viewingAs: 'Identity',
  gatewayDown: 'The gateway did not answer: {message}',
  tokenRefused: 'The gateway refused the token, so it has been forgotten. You are browsing anonymously.',
  memberUnavailable: '{member} is unavailable',
  memberUntrusted: '{member} refuses this gateway',
  memberSkipped: '{member} was skipped (its schema does not serve the network contract)',
  partialNote: 'Its records are missing below; everything else is shown.',
  problem: 'Problem: {message}',
  // overview
  networkSummary: 'Network summary',
  memberCount: 'Members',
  regionCount: 'Regions',
  serviceCount: 'Services',
  projectCount: 'Projects',
  servicesByKind: 'Services by kind',
  capacityTotals: 'Capacity',
  capacityNote: 'Totals of the records you may see. Numbers a member keeps private are counted as hidden, not as zero.',
  used: 'Used',
  available: 'Available',
  total: 'Total',
  resource: 'Resource',
  recordId: 'Record',
  hidden: 'hidden',
  hiddenRecords: '{count} hidden',
  noCapacity: 'No capacity records visible.',
  memberHealth: 'Member health',
  member: 'Member',
  reachable: 'Reachable',
  latency: 'Latency',
  schemaVersion: 'Schema version',
  lastSeen: 'Last seen',
  breaker: 'Circuit breaker',
  yes: 'Yes',
  no: 'No',
  never: 'never',
  unknown: 'unknown',
  // members
  membersByRegion: 'Members by region',
  region: 'Region',
  countries: 'Countries',
  languages: 'Languages',
  website: 'Website',
  status: 'Status',
  notFound: 'There is no member with this id.',
  backToMembers: 'All members',
  ledProjects: 'Projects it leads',
  takesPartIn: 'Projects it takes part in',
  none: 'None visible.',
  notAnswered: 'This member did not answer, so its records cannot be shown right now.',
  // services
  serviceCatalogue: 'Service catalogue',
  filters: 'Filters',
  search: 'Search',
  searchHint: 'Name, description or software',
  kind: 'Kind',
  all: 'All',
  acceptingOnly: 'Only services accepting new users',
  accepting: 'Accepting new users',
  notAccepting: 'Not accepting new users',
  results: 'Services shown: {count}',
  noResults: 'No service matches these filters.',
  software: 'Software',
  visibility: 'Visibility',
  by: 'by {member}',
  // projects
  projectBoard: 'Projects by area',
  participants: 'Participants',
  lead: 'Led by',
  needs: 'Needs',
  noProjects: 'No projects visible in this area.',
  // identity
  tokenTitle: 'Token and identity',
  tokenHelp: 'Paste a caller token issued by your collective. It is kept in this tab’s session storage only, and sent to nothing but this gateway’s /graphql endpoint. Closing the tab forgets it.',
  tokenLabel: 'Caller token (JWT)',
  useToken: 'Use this token',
  forget: 'Forget the token',
  tokenEmpty: 'Paste a token first.',
  tokenAccepted: 'Token accepted.',
  tokenRejected: 'The gateway refused this token: it was not stored.',
  footer: 'Served by the network’s own gateway. No trackers, no cookies, nothing loaded from other sites.',
  retry: 'Try again',
  backToDashboard: 'Back to the dashboard',
  explorerToken: 'Your token from the dashboard is pre-filled in the Headers editor below. It stays in this tab.',
  explorerNoToken: 'No token is set: queries run anonymously. Add one on the dashboard’s Token page.',
  tokenForgotten: 'Token forgotten. You are browsing anonymously.',
  currentIdentity: 'Current identity',
  anonymousExplain: 'Anonymous visitors see public records only.',
  subject: 'Subject',
  scopes: 'Scopes',
  whatYouSee: 'What this identity may see',
  recordsByVisibility: 'Records by visibility',
  record: 'Records',
  'vis.PUBLIC': 'Public',
  'vis.NETWORK': 'Network',
  'vis.MEMBERS': 'Shared members',
  'vis.OWNER': 'Owner only',
  // enums
  'kind.BACKUP': 'Backup',
  'kind.CHAT': 'Chat',
  'kind.CLOUD_STORAGE': 'Cloud storage',
  'kind.DDOS_PROTECTION': 'DDoS protection',
  'kind.DNS': 'DNS',
  'kind.DOCUMENTS': 'Documents',
  'kind.EMAIL': 'Email',
  'kind.GIT_HOSTING': 'Git hosting',
  'kind.MAILING_LIST': 'Mailing list',
  'kind.OTHER': 'Other',
  'kind.SOCIAL_MEDIA': 'Social media',
  'kind.VIDEO_CONFERENCING': 'Video conferencing',
  'kind.VPN': 'VPN',
  'kind.WEB_HOSTING': 'Web hosting',
  'status.OPERATIONAL': 'Operational',
  'status.DEGRADED': 'Degraded',
  'status.DOWN': 'Down',
  'status.MAINTENANCE': 'Maintenance',
  'status.PLANNED': 'Planned',
  'area.SOLIDARITY': 'Solidarity',
  'area.MOVEMENT_ENGAGEMENT': 'Movement engagement',
  'area.TECHNOLOGY_PLATFORM': 'Technology platform',
  'area.SHARED_INFRASTRUCTURE': 'Shared infrastructure',
  'project.ACTIVE': 'Active',
  'project.DONE': 'Done',
  'project.PAUSED': 'Paused',
  'project.PROPOSED': 'Proposed',
  'resource.ACCOUNTS': 'Accounts',
  'resource.STORAGE_GB': 'Storage (GB)',
  'resource.CPU_CORES': 'CPU cores',
  'resource.MEMORY_GB': 'Memory (GB)',
  'resource.BANDWIDTH_MBPS': 'Bandwidth (Mbit/s)',
  'breaker.closed': 'closed',
  'breaker.open': 'open',
  'breaker.half_open': 'half open',
  healthState: 'Health',
  'state.OK': 'ok',
  'state.UNAVAILABLE': 'unavailable',
  'state.UNTRUSTED': 'refuses this gateway',
  'state.INCOMPATIBLE': 'incompatible schema',
  'state.UNKNOWN': 'not checked yet',
};

export type MessageKey = keyof typeof en;
type Messages = Record<MessageKey, string>;

const es: Messages = {
  skip: 'Saltar al contenido',
  appName: 'Red InfraRed',
  tagline: 'Colectivos tecnológicos feministas, cooperativos y antifascistas',
  navMain: 'Principal',
  overview: 'Resumen',
  members: 'Miembros',
  services: 'Servicios',
  projects: 'Proyectos',
  identity: 'Token',
  explorer: 'Explorador GraphQL',
  language: 'Idioma',
  refresh: 'Actualizar',
  loading: 'Cargando…',
  updated: 'Actualizado a las {time}',
  anonymous: 'Anónima',
  viewingAs: 'Identidad',
  gatewayDown: 'La pasarela no respondió: {message}',
  tokenRefused: 'La pasarela rechazó el token, así que lo hemos olvidado. Estás navegando de forma anónima.',
  memberUnavailable: '{member} no está disponible',
  memberUntrusted: '{member} rechaza esta pasarela',
  memberSkipped: 'Se omitió a {member} (su esquema no cumple el contrato de la red)',
  partialNote: 'Faltan sus registros; todo lo demás se muestra abajo.',
  problem: 'Problema: {message}',
  networkSummary: 'Resumen de la red',
  memberCount: 'Miembros',
  regionCount: 'Regiones',
  serviceCount: 'Servicios',
  projectCount: 'Proyectos',
  servicesByKind: 'Servicios por tipo',
  capacityTotals: 'Capacidad',
  capacityNote: 'Totales de los registros que puedes ver. Las cifras que un miembro mantiene privadas cuentan como ocultas, no como cero.',
  used: 'En uso',
  available: 'Disponible',
  total: 'Total',
  resource: 'Recurso',
  recordId: 'Registro',
  hidden: 'oculto',
  hiddenRecords: '{count} ocultos',
  noCapacity: 'No hay registros de capacidad visibles.',
  memberHealth: 'Estado de los miembros',
  member: 'Miembro',
  reachable: 'Accesible',
  latency: 'Latencia',
  schemaVersion: 'Versión del esquema',
  lastSeen: 'Última respuesta',
  breaker: 'Cortacircuitos',
  yes: 'Sí',
  no: 'No',
  never: 'nunca',
  unknown: 'desconocido',
  membersByRegion: 'Miembros por región',
  region: 'Región',
  countries: 'Países',
  languages: 'Idiomas',
  website: 'Sitio web',
  status: 'Estado',
  notFound: 'No hay ningún miembro con este identificador.',
  backToMembers: 'Todos los miembros',
  ledProjects: 'Proyectos que coordina',
  takesPartIn: 'Proyectos en los que participa',
  none: 'Nada visible.',
  notAnswered: 'Este miembro no respondió, así que ahora mismo no se pueden mostrar sus registros.',
  serviceCatalogue: 'Catálogo de servicios',
  filters: 'Filtros',
  search: 'Buscar',
  searchHint: 'Nombre, descripción o software',
  kind: 'Tipo',
  all: 'Todos',
  acceptingOnly: 'Solo servicios que aceptan nuevas personas usuarias',
  accepting: 'Acepta nuevas personas usuarias',
  notAccepting: 'No acepta nuevas personas usuarias',
  results: 'Servicios mostrados: {count}',
  noResults: 'Ningún servicio coincide con estos filtros.',
  software: 'Software',
  visibility: 'Visibilidad',
  by: 'de {member}',
  projectBoard: 'Proyectos por área',
  participants: 'Participantes',
  lead: 'Coordina',
  needs: 'Necesidades',
  noProjects: 'No hay proyectos visibles en esta área.',
  tokenTitle: 'Token e identidad',
  tokenHelp: 'Pega un token de acceso emitido por tu colectivo. Se guarda solo en el almacenamiento de sesión de esta pestaña y no se envía a ningún sitio salvo al endpoint /graphql de esta pasarela. Al cerrar la pestaña se olvida.',
  tokenLabel: 'Token de acceso (JWT)',
  useToken: 'Usar este token',
  forget: 'Olvidar el token',
  tokenEmpty: 'Primero pega un token.',
  tokenAccepted: 'Token aceptado.',
  tokenRejected: 'La pasarela rechazó este token: no se ha guardado.',
  footer: 'Servido por la propia pasarela de la red. Sin rastreadores, sin cookies, sin nada cargado desde otros sitios.',
  retry: 'Reintentar',
  backToDashboard: 'Volver al panel',
  explorerToken: 'Tu token del panel ya está en el editor de cabeceras (Headers). No sale de esta pestaña.',
  explorerNoToken: 'No hay token: las consultas se hacen de forma anónima. Añade uno en la página Token del panel.',
  tokenForgotten: 'Token olvidado. Estás navegando de forma anónima.',
  currentIdentity: 'Identidad actual',
  anonymousExplain: 'Las visitas anónimas solo ven los registros públicos.',
  subject: 'Sujeto',
  scopes: 'Permisos',
  whatYouSee: 'Lo que puede ver esta identidad',
  recordsByVisibility: 'Registros por visibilidad',
  record: 'Registros',
  'vis.PUBLIC': 'Pública',
  'vis.NETWORK': 'Red',
  'vis.MEMBERS': 'Miembros con acceso compartido',
  'vis.OWNER': 'Solo la dueña',
  'kind.BACKUP': 'Copias de seguridad',
  'kind.CHAT': 'Chat',
  'kind.CLOUD_STORAGE': 'Almacenamiento en la nube',
  'kind.DDOS_PROTECTION': 'Protección contra DDoS',
  'kind.DNS': 'DNS',
  'kind.DOCUMENTS': 'Documentos',
  'kind.EMAIL': 'Correo electrónico',
  'kind.GIT_HOSTING': 'Alojamiento Git',
  'kind.MAILING_LIST': 'Lista de correo',
  'kind.OTHER': 'Otro',
  'kind.SOCIAL_MEDIA': 'Redes sociales',
  'kind.VIDEO_CONFERENCING': 'Videoconferencia',
  'kind.VPN': 'VPN',
  'kind.WEB_HOSTING': 'Alojamiento web',
  'status.OPERATIONAL': 'En funcionamiento',
  'status.DEGRADED': 'Con problemas',
  'status.DOWN': 'Caído',
  'status.MAINTENANCE': 'En mantenimiento',
  'status.PLANNED': 'Planificado',
  'area.SOLIDARITY': 'Solidaridad',
  'area.MOVEMENT_ENGAGEMENT': 'Trabajo con los movimientos',
  'area.TECHNOLOGY_PLATFORM': 'Plataforma tecnológica',
  'area.SHARED_INFRASTRUCTURE': 'Infraestructura compartida',
  'project.ACTIVE': 'Activo',
  'project.DONE': 'Terminado',
  'project.PAUSED': 'En pausa',
  'project.PROPOSED': 'Propuesto',
  'resource.ACCOUNTS': 'Cuentas',
  'resource.STORAGE_GB': 'Almacenamiento (GB)',
  'resource.CPU_CORES': 'Núcleos de CPU',
  'resource.MEMORY_GB': 'Memoria (GB)',
  'resource.BANDWIDTH_MBPS': 'Ancho de banda (Mbit/s)',
  'breaker.closed': 'cerrado',
  'breaker.open': 'abierto',
  'breaker.half_open': 'semiabierto',
  healthState: 'Salud',
  'state.OK': 'bien',
  'state.UNAVAILABLE': 'no disponible',
  'state.UNTRUSTED': 'rechaza esta pasarela',
  'state.INCOMPATIBLE': 'esquema incompatible',
  'state.UNKNOWN': 'sin comprobar aún',
};

const sq: Messages = {
  skip: 'Kalo te përmbajtja',
  appName: 'Rrjeti InfraRed',
  tagline: 'Kolektiva teknologjike feministe, kooperative dhe antifashiste',
  navMain: 'Kryesore',
  overview: 'Përmbledhje',
  members: 'Anëtarët',
  services: 'Shërbimet',
  projects: 'Projektet',
  identity: 'Tokeni',
  explorer: 'Eksploruesi GraphQL',
  language: 'Gjuha',
  refresh: 'Rifresko',
  loading: 'Po ngarkohet…',
  updated: 'Përditësuar në {time}',
  anonymous: 'Anonim',
  viewingAs: 'Identiteti',
  gatewayDown: 'Porta e rrjetit nuk u përgjigj: {message}',
  tokenRefused: 'Porta e rrjetit e refuzoi tokenin, prandaj u harrua. Po shfletoni në mënyrë anonime.',
  memberUnavailable: '{member} nuk është në dispozicion',
  memberUntrusted: '{member} e refuzon këtë portë',
  memberSkipped: '{member} u anashkalua (skema e tij nuk përputhet me kontratën e rrjetit)',
  partialNote: 'Të dhënat e tij mungojnë më poshtë; gjithçka tjetër shfaqet.',
  problem: 'Problem: {message}',
  networkSummary: 'Përmbledhja e rrjetit',
  memberCount: 'Anëtarë',
  regionCount: 'Rajone',
  serviceCount: 'Shërbime',
  projectCount: 'Projekte',
  servicesByKind: 'Shërbimet sipas llojit',
  capacityTotals: 'Kapaciteti',
  capacityNote: 'Shumat e të dhënave që ju lejohet të shihni. Numrat që një anëtar i mban privatë numërohen si të fshehur, jo si zero.',
  used: 'Në përdorim',
  available: 'Në dispozicion',
  total: 'Gjithsej',
  resource: 'Burimi',
  recordId: 'Regjistrimi',
  hidden: 'i fshehur',
  hiddenRecords: '{count} të fshehur',
  noCapacity: 'Nuk ka të dhëna kapaciteti të dukshme.',
  memberHealth: 'Gjendja e anëtarëve',
  member: 'Anëtari',
  reachable: 'I arritshëm',
  latency: 'Vonesa',
  schemaVersion: 'Versioni i skemës',
  lastSeen: 'Përgjigjja e fundit',
  breaker: 'Ndërprerësi i qarkut',
  yes: 'Po',
  no: 'Jo',
  never: 'asnjëherë',
  unknown: 'i panjohur',
  membersByRegion: 'Anëtarët sipas rajonit',
  region: 'Rajoni',
  countries: 'Vendet',
  languages: 'Gjuhët',
  website: 'Faqja e internetit',
  status: 'Gjendja',
  notFound: 'Nuk ka asnjë anëtar me këtë identifikues.',
  backToMembers: 'Të gjithë anëtarët',
  ledProjects: 'Projektet që drejton',
  takesPartIn: 'Projektet ku merr pjesë',
  none: 'Asgjë e dukshme.',
  notAnswered: 'Ky anëtar nuk u përgjigj, prandaj të dhënat e tij nuk mund të shfaqen tani.',
  serviceCatalogue: 'Katalogu i shërbimeve',
  filters: 'Filtrat',
  search: 'Kërko',
  searchHint: 'Emri, përshkrimi ose programi',
  kind: 'Lloji',
  all: 'Të gjitha',
  acceptingOnly: 'Vetëm shërbimet që pranojnë përdorues të rinj',
  accepting: 'Pranon përdorues të rinj',
  notAccepting: 'Nuk pranon përdorues të rinj',
  results: 'Shërbime të shfaqura: {count}',
  noResults: 'Asnjë shërbim nuk përputhet me këta filtra.',
  software: 'Programi',
  visibility: 'Dukshmëria',
  by: 'nga {member}',
  projectBoard: 'Projektet sipas fushës',
  participants: 'Pjesëmarrësit',
  lead: 'Drejtohet nga',
  needs: 'Nevojat',
  noProjects: 'Nuk ka projekte të dukshme në këtë fushë.',
  tokenTitle: 'Tokeni dhe identiteti',
  tokenHelp: 'Ngjitni një token (çelës hyrjeje) të lëshuar nga kolektivi juaj. Ruhet vetëm në hapësirën e sesionit të kësaj skede dhe nuk i dërgohet askujt përveç pikës /graphql të kësaj porte. Kur mbyllni skedën, harrohet.',
  tokenLabel: 'Çelësi i hyrjes (JWT)',
  useToken: 'Përdor këtë token',
  forget: 'Harroje tokenin',
  tokenEmpty: 'Së pari ngjitni një token.',
  tokenAccepted: 'Tokeni u pranua.',
  tokenRejected: 'Porta e rrjetit e refuzoi këtë token: nuk u ruajt.',
  footer: 'Shërbehet nga porta e vetë rrjetit. Pa gjurmues, pa cookies, asgjë e ngarkuar nga faqe të tjera.',
  retry: 'Provo përsëri',
  backToDashboard: 'Kthehu te paneli',
  explorerToken: 'Tokeni juaj nga paneli është vendosur në redaktuesin e kokave (Headers) më poshtë. Mbetet në këtë skedë.',
  explorerNoToken: 'Nuk ka token: pyetjet ekzekutohen në mënyrë anonime. Shtoni një te faqja Tokeni e panelit.',
  tokenForgotten: 'Tokeni u harrua. Po shfletoni në mënyrë anonime.',
  currentIdentity: 'Identiteti aktual',
  anonymousExplain: 'Vizitorët anonimë shohin vetëm të dhënat publike.',
  subject: 'Subjekti',
  scopes: 'Lejet',
  whatYouSee: 'Çfarë mund të shohë ky identitet',
  recordsByVisibility: 'Të dhënat sipas dukshmërisë',
  record: 'Të dhëna',
  'vis.PUBLIC': 'Publike',
  'vis.NETWORK': 'Rrjeti',
  'vis.MEMBERS': 'Anëtarë të zgjedhur',
  'vis.OWNER': 'Vetëm zotëruesi',
  'kind.BACKUP': 'Kopje rezervë',
  'kind.CHAT': 'Bisedë',
  'kind.CLOUD_STORAGE': 'Ruajtje në re',
  'kind.DDOS_PROTECTION': 'Mbrojtje nga DDoS',
  'kind.DNS': 'DNS',
  'kind.DOCUMENTS': 'Dokumente',
  'kind.EMAIL': 'Email',
  'kind.GIT_HOSTING': 'Strehim Git',
  'kind.MAILING_LIST': 'Listë postare',
  'kind.OTHER': 'Tjetër',
  'kind.SOCIAL_MEDIA': 'Media sociale',
  'kind.VIDEO_CONFERENCING': 'Videokonferencë',
  'kind.VPN': 'VPN',
  'kind.WEB_HOSTING': 'Strehim uebi',
  'status.OPERATIONAL': 'Në punë',
  'status.DEGRADED': 'Me probleme',
  'status.DOWN': 'Jashtë funksionit',
  'status.MAINTENANCE': 'Në mirëmbajtje',
  'status.PLANNED': 'I planifikuar',
  'area.SOLIDARITY': 'Solidariteti',
  'area.MOVEMENT_ENGAGEMENT': 'Angazhimi me lëvizjet',
  'area.TECHNOLOGY_PLATFORM': 'Platforma teknologjike',
  'area.SHARED_INFRASTRUCTURE': 'Infrastruktura e përbashkët',
  'project.ACTIVE': 'Aktiv',
  'project.DONE': 'I përfunduar',
  'project.PAUSED': 'I pezulluar',
  'project.PROPOSED': 'I propozuar',
  'resource.ACCOUNTS': 'Llogari',
  'resource.STORAGE_GB': 'Hapësirë ruajtjeje (GB)',
  'resource.CPU_CORES': 'Bërthama CPU',
  'resource.MEMORY_GB': 'Memorie (GB)',
  'resource.BANDWIDTH_MBPS': 'Gjerësi brezi (Mbit/s)',
  'breaker.closed': 'i mbyllur',
  'breaker.open': 'i hapur',
  'breaker.half_open': 'gjysmë i hapur',
  healthState: 'Shëndeti',
  'state.OK': 'në rregull',
  'state.UNAVAILABLE': 'jo në dispozicion',
  'state.UNTRUSTED': 'e refuzon këtë portë',
  'state.INCOMPATIBLE': 'skemë e papajtueshme',
  'state.UNKNOWN': 'ende i pakontrolluar',
};

const CATALOGUE: Record<Lang, Messages> = { en, es, sq };
const STORAGE_KEY = 'infrared.lang';

let current: Lang = 'en';

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  document.documentElement.lang = next;
  try {
    sessionStorage.setItem(STORAGE_KEY, next);
  } catch {
    /* private mode: the choice lasts until reload */
  }
}

/** The language chosen in this tab, else the browser's first supported one, else English. */
export function initialLang(): Lang {
  const chosen = (() => {
    try {
      return sessionStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  })();
  if (chosen && chosen in CATALOGUE) return chosen as Lang;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (base in CATALOGUE) return base as Lang;
  }
  return 'en';
}

/** A message with `{name}` placeholders filled in. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text = CATALOGUE[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** An enum value's label (`kind`, `status`, …); unknown values show as they are. */
export function label(prefix: 'kind' | 'status' | 'area' | 'project' | 'resource' | 'vis' | 'breaker' | 'state', value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  return key in en ? t(key) : value;
}

/**
 * Whether this browser's Intl has data for the interface language. Chromium ships ICU data for
 * its own UI languages only, and Albanian is not one of them: then the tables below stand in.
 */
export function intlKnows(tag: string = current): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0 && Intl.DisplayNames.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}

/** Albanian names for the languages and countries a member is likely to list; others fall back to Intl. */
const SQ_LANGUAGE_NAMES: Record<string, string> = {
  sq: 'shqip', en: 'anglisht', es: 'spanjisht', ca: 'katalanisht', eu: 'baskisht', gl: 'galicisht', fr: 'frëngjisht',
  de: 'gjermanisht', it: 'italisht', pt: 'portugalisht', sr: 'serbisht', mk: 'maqedonisht', el: 'greqisht',
  tr: 'turqisht', bs: 'boshnjakisht', hr: 'kroatisht', ro: 'rumanisht', ar: 'arabisht', qu: 'keçua', gn: 'guarani',
};
const SQ_COUNTRY_NAMES: Record<string, string> = {
  AL: 'Shqipëri', XK: 'Kosovë', MK: 'Maqedoni e Veriut', ME: 'Mal i Zi', RS: 'Serbi', GR: 'Greqi', IT: 'Itali',
  AR: 'Argjentinë', UY: 'Uruguai', CL: 'Kili', BR: 'Brazil', MX: 'Meksikë', US: 'Shtetet e Bashkuara të Amerikës',
  CA: 'Kanada', ES: 'Spanjë', FR: 'Francë', DE: 'Gjermani', PT: 'Portugali', GB: 'Mbretëria e Bashkuar', TR: 'Turqi',
};

function displayName(code: string, type: 'language' | 'region', fallback: Record<string, string>): string {
  if (current === 'sq' && !intlKnows('sq')) return fallback[type === 'language' ? code.toLowerCase().split('-')[0] : code.toUpperCase()] ?? code;
  try {
    return new Intl.DisplayNames([current], { type }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A language name in the interface language (`sq` → "Albanian" / "albanés" / "shqip"). */
export function languageName(tag: string): string {
  return displayName(tag, 'language', SQ_LANGUAGE_NAMES);
}

export function regionName(code: string): string {
  return displayName(code, 'region', SQ_COUNTRY_NAMES);
}

/** Like t(), but placeholders may be nodes (a link inside a sentence). */
export function tNodes(key: MessageKey, vars: Record<string, Node | string>): (Node | string)[] {
  const text = CATALOGUE[current][key] ?? en[key];
  return text.split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    return name && name in vars ? vars[name] : part;
  });
}
