/**
 * The recipient's time zone as far as an E.164 number tells it, for the quiet-hours guardrail.
 * One longest-prefix table: a North American number by its area code (`1` + area code), other
 * countries by calling code, and a few regions of a country by a longer prefix (Canary Islands,
 * Azores). Countries that span several zones with no rule here (Australia, Brazil, Russia and
 * Kazakhstan, Mexico, Indonesia …) and non-geographic numbers (toll-free, mobile-only ranges we do
 * not know) are left unknown: the guardrail then uses the credential's fallback time zone.
 *
 * Where an area code spans two zones it is listed under the zone most of its numbers are in:
 * 850/448 (Florida Panhandle: Pensacola and Panama City are Central, Tallahassee Eastern) →
 * Central; 812/930 (southern Indiana), 906 (Upper Michigan), 807 (north-west Ontario) → Eastern;
 * 270/364 (western Kentucky), 308 (Nebraska), 605 (South Dakota), 701 (North Dakota), 620/785
 * (Kansas) → Central; 208/986 (Idaho), 250 and 236/257/672 (British Columbia), 541 (Oregon) → the
 * zone of their largest cities; 867 (Yukon, Northwest Territories, Nunavut) → Mountain.
 */

const ZONES: Record<string, string> = {
	// Eastern: CT DE DC FL GA IN KY ME MD MA MI NH NJ NY NC OH PA RI SC TN(east) VT VA WV, Ontario, Quebec.
	'America/New_York':
		'203 475 860 959 302 202 771 239 305 321 352 386 407 561 656 689 727 754 772 786 813 863 904 941 954 ' +
		'229 404 470 478 678 706 762 770 912 943 260 317 463 574 765 812 930 502 606 859 207 227 240 301 410 443 667 ' +
		'339 351 413 508 617 774 781 857 978 231 248 269 313 517 586 616 679 734 810 906 947 989 603 ' +
		'201 551 609 640 732 848 856 862 908 973 212 315 332 347 363 516 518 585 607 631 646 680 716 718 838 845 914 917 929 934 ' +
		'252 336 472 704 743 828 910 919 980 984 216 220 234 326 330 380 419 440 513 567 614 740 937 ' +
		'215 223 267 272 412 445 484 570 582 610 717 724 814 878 401 803 839 843 854 864 423 865 802 ' +
		'276 434 540 571 686 703 757 804 826 948 304 681',
	'America/Toronto':
		'226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 807 905 942 ' +
		'263 354 367 418 438 450 468 514 579 581 819 873',
	'America/Halifax': '782 902 428 506',
	'America/St_Johns': '709 879',
	// Central: AL AR IL IN(north-west) IA KS KY(west) LA MN MS MO NE ND OK SD TN(middle, west) TX WI, Florida Panhandle.
	'America/Chicago':
		'205 251 256 334 659 938 479 501 870 327 217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872 ' +
		'219 319 515 563 641 712 316 620 785 913 270 364 225 318 337 504 985 218 320 507 612 651 763 952 ' +
		'228 601 662 769 314 417 557 573 636 660 816 308 402 531 701 405 539 572 580 918 605 615 629 731 901 931 ' +
		'210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 972 979 ' +
		'262 274 414 534 608 715 920 850 448',
	'America/Winnipeg': '204 431 584',
	'America/Regina': '306 474 639',
	'America/Denver': '303 719 720 970 983 406 505 575 385 435 801 307 208 986 915',
	'America/Phoenix': '480 520 602 623 928',
	'America/Edmonton': '368 403 587 780 825 867',
	'America/Los_Angeles':
		'209 213 279 310 323 341 350 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 747 760 ' +
		'805 818 820 831 840 858 909 916 925 949 951 702 725 775 458 503 541 971 206 253 360 425 509 564',
	'America/Vancouver': '236 250 257 604 672 778',
	'America/Anchorage': '907',
	'Pacific/Honolulu': '808',
	// US territories and the other NANP countries.
	'America/Puerto_Rico': '787 939',
	'America/St_Thomas': '340',
	'Pacific/Guam': '671',
	'Pacific/Saipan': '670',
	'Pacific/Pago_Pago': '684',
	'America/Nassau': '242',
	'America/Barbados': '246',
	'America/Anguilla': '264',
	'America/Antigua': '268',
	'America/Tortola': '284',
	'America/Cayman': '345',
	'Atlantic/Bermuda': '441',
	'America/Grenada': '473',
	'America/Grand_Turk': '649',
	'America/Jamaica': '658 876',
	'America/Montserrat': '664',
	'America/Lower_Princes': '721',
	'America/St_Lucia': '758',
	'America/Dominica': '767',
	'America/St_Vincent': '784',
	'America/Santo_Domingo': '809 829 849',
	'America/Port_of_Spain': '868',
	'America/St_Kitts': '869',
};

/** Countries in one time zone (calling code → zone), and regional exceptions by longer prefix. */
const COUNTRY_ZONES: Record<string, string> = {
	'20': 'Africa/Cairo',
	'27': 'Africa/Johannesburg',
	'30': 'Europe/Athens',
	'31': 'Europe/Amsterdam',
	'32': 'Europe/Brussels',
	'33': 'Europe/Paris',
	'34': 'Europe/Madrid',
	'34822': 'Atlantic/Canary',
	'34828': 'Atlantic/Canary',
	'34922': 'Atlantic/Canary',
	'34928': 'Atlantic/Canary',
	'36': 'Europe/Budapest',
	'39': 'Europe/Rome',
	'40': 'Europe/Bucharest',
	'41': 'Europe/Zurich',
	'43': 'Europe/Vienna',
	'44': 'Europe/London',
	'45': 'Europe/Copenhagen',
	'46': 'Europe/Stockholm',
	'47': 'Europe/Oslo',
	'48': 'Europe/Warsaw',
	'49': 'Europe/Berlin',
	'51': 'America/Lima',
	'54': 'America/Argentina/Buenos_Aires',
	'57': 'America/Bogota',
	'58': 'America/Caracas',
	'60': 'Asia/Kuala_Lumpur',
	'63': 'Asia/Manila',
	'64': 'Pacific/Auckland',
	'65': 'Asia/Singapore',
	'66': 'Asia/Bangkok',
	'81': 'Asia/Tokyo',
	'82': 'Asia/Seoul',
	'84': 'Asia/Ho_Chi_Minh',
	'86': 'Asia/Shanghai',
	'90': 'Europe/Istanbul',
	'91': 'Asia/Kolkata',
	'92': 'Asia/Karachi',
	'94': 'Asia/Colombo',
	'212': 'Africa/Casablanca',
	'234': 'Africa/Lagos',
	'254': 'Africa/Nairobi',
	'351': 'Europe/Lisbon',
	'351292': 'Atlantic/Azores',
	'351295': 'Atlantic/Azores',
	'351296': 'Atlantic/Azores',
	'352': 'Europe/Luxembourg',
	'353': 'Europe/Dublin',
	'354': 'Atlantic/Reykjavik',
	'356': 'Europe/Malta',
	'357': 'Asia/Nicosia',
	'358': 'Europe/Helsinki',
	'359': 'Europe/Sofia',
	'370': 'Europe/Vilnius',
	'371': 'Europe/Riga',
	'372': 'Europe/Tallinn',
	'385': 'Europe/Zagreb',
	'386': 'Europe/Ljubljana',
	'420': 'Europe/Prague',
	'421': 'Europe/Bratislava',
	'502': 'America/Guatemala',
	'503': 'America/El_Salvador',
	'504': 'America/Tegucigalpa',
	'505': 'America/Managua',
	'506': 'America/Costa_Rica',
	'507': 'America/Panama',
	'591': 'America/La_Paz',
	'595': 'America/Asuncion',
	'598': 'America/Montevideo',
	'852': 'Asia/Hong_Kong',
	'853': 'Asia/Macau',
	'880': 'Asia/Dhaka',
	'886': 'Asia/Taipei',
	'966': 'Asia/Riyadh',
	'971': 'Asia/Dubai',
	'972': 'Asia/Jerusalem',
	'974': 'Asia/Qatar',
};

function buildTable(): Map<string, string> {
	const table = new Map<string, string>(Object.entries(COUNTRY_ZONES));
	for (const [zone, areaCodes] of Object.entries(ZONES)) {
		for (const areaCode of areaCodes.split(' ')) table.set(`1${areaCode}`, zone);
	}
	return table;
}

/** Prefix (digits after the +) → IANA zone. Exported for the table's own tests. */
export const ZONE_BY_PREFIX: ReadonlyMap<string, string> = buildTable();

const LONGEST_PREFIX = Math.max(...Array.from(ZONE_BY_PREFIX.keys(), (prefix) => prefix.length));

/** The IANA zone of an E.164 number, or undefined when the number does not tell it. */
export function recipientTimeZone(e164: string): string | undefined {
	const digits = e164.replace(/^\+/, '');
	for (let length = Math.min(LONGEST_PREFIX, digits.length); length > 0; length--) {
		const zone = ZONE_BY_PREFIX.get(digits.slice(0, length));
		if (zone !== undefined) return zone;
	}
	return undefined;
}

/** Building an Intl formatter costs ~0.3 ms; one per zone is kept (a few hundred zones at most). */
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
	let formatter = formatters.get(zone);
	if (formatter === undefined) {
		try {
			formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
		} catch {
			formatter = null;
		}
		if (formatters.size < 1000) formatters.set(zone, formatter);
	}
	return formatter;
}

/** Whether `zone` is an IANA zone this Node.js knows. */
export function isKnownTimeZone(zone: string): boolean {
	return formatterFor(zone) !== null;
}

/** Minutes after local midnight in `zone` at `at`, e.g. 21:30 → 1290; DST comes from Intl. */
export function localMinutes(at: Date, zone: string): number {
	const formatter = formatterFor(zone);
	if (!formatter) throw new RangeError(`Unknown time zone ${zone}`);
	const parts = formatter.formatToParts(at);
	const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
	return value('hour') * 60 + value('minute');
}
