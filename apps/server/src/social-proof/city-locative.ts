/**
 * Polish puts a city after "w" in the locative ("w Krakowie"), which no rule derives from the
 * name alone. The larger cities are listed; any other place is named in the nominative after
 * "w miejscowości", which is correct for every town and village.
 */
const LOCATIVE: Record<string, string> = {
  warszawa: 'Warszawie',
  kraków: 'Krakowie',
  łódź: 'Łodzi',
  wrocław: 'Wrocławiu',
  poznań: 'Poznaniu',
  gdańsk: 'Gdańsku',
  szczecin: 'Szczecinie',
  bydgoszcz: 'Bydgoszczy',
  lublin: 'Lublinie',
  białystok: 'Białymstoku',
  katowice: 'Katowicach',
  gdynia: 'Gdyni',
  częstochowa: 'Częstochowie',
  radom: 'Radomiu',
  rzeszów: 'Rzeszowie',
  toruń: 'Toruniu',
  sosnowiec: 'Sosnowcu',
  kielce: 'Kielcach',
  gliwice: 'Gliwicach',
  olsztyn: 'Olsztynie',
  zabrze: 'Zabrzu',
  'bielsko-biała': 'Bielsku-Białej',
  bytom: 'Bytomiu',
  'zielona góra': 'Zielonej Górze',
  rybnik: 'Rybniku',
  'ruda śląska': 'Rudzie Śląskiej',
  opole: 'Opolu',
  tychy: 'Tychach',
  'gorzów wielkopolski': 'Gorzowie Wielkopolskim',
  elbląg: 'Elblągu',
  płock: 'Płocku',
  'dąbrowa górnicza': 'Dąbrowie Górniczej',
  wałbrzych: 'Wałbrzychu',
  włocławek: 'Włocławku',
  tarnów: 'Tarnowie',
  chorzów: 'Chorzowie',
  koszalin: 'Koszalinie',
  kalisz: 'Kaliszu',
  legnica: 'Legnicy',
  grudziądz: 'Grudziądzu',
  słupsk: 'Słupsku',
  jaworzno: 'Jaworznie',
  'jelenia góra': 'Jeleniej Górze',
  sopot: 'Sopocie',
  zakopane: 'Zakopanem',
};

/** "w Krakowie", or "w miejscowości Nowa Dęba" for a place not listed. */
export function inPlacePl(city: string): string {
  const locative = LOCATIVE[city.trim().toLocaleLowerCase('pl')];
  return locative ? `w ${locative}` : `w miejscowości ${city.trim()}`;
}
