/** The accessibility statement (Erklärung zur Barrierefreiheit) in German: a legal text, loaded by accessibility.html only. */
export const deStatement = {
  title: 'Erklärung zur Barrierefreiheit',
  sections: [
    {
      heading: '',
      paragraphs: [
        'Wer diese Plenum-Installation betreibt, ist bemüht, sie im Einklang mit dem Behindertengleichstellungsgesetz des Bundes (BGG) und der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) zur Umsetzung der Richtlinie (EU) 2016/2102 barrierefrei zugänglich zu machen.',
        'Diese Erklärung gilt für alle Seiten von Plenum: Teilnahme, Moderation, Projektion, Stream-Einblendung und Organisation.',
      ],
      list: [],
    },
    {
      heading: 'Stand der Vereinbarkeit mit den Anforderungen',
      paragraphs: [
        'Diese Anwendung ist mit den Anforderungen der BITV 2.0 (WCAG 2.1, Stufe AA) teilweise vereinbar. Die unten genannten Punkte sind noch nicht vollständig barrierefrei.',
      ],
      list: [],
    },
    {
      heading: 'Was Plenum für die Barrierefreiheit tut',
      paragraphs: [],
      list: [
        'Alle Funktionen lassen sich allein mit der Tastatur bedienen; der Fokus ist immer deutlich sichtbar.',
        'Alle Eingabefelder haben sichtbare Beschriftungen; Fehler werden als Text beim Feld genannt.',
        'Ergebnisse werden als Text mit Anzahl und Prozent angezeigt, die Balken sind nur Zusatz.',
        'Änderungen werden Screenreadern über höfliche Live-Regionen angesagt, Zwischenstände höchstens alle 10 bis 15 Sekunden.',
        'Texte und Bedienelemente erfüllen die Kontrastanforderungen; Animationen entfallen bei der Einstellung „Bewegung reduzieren“.',
        'Die Oberfläche ist auf Deutsch und Englisch verfügbar und passt sich an schmale Bildschirme und Vergrößerung an.',
        'Plenum lädt keine Inhalte von Drittanbietern: keine externen Schriften, keine Statistikdienste.',
      ],
    },
    {
      heading: 'Nicht barrierefreie Inhalte',
      paragraphs: [],
      list: [
        'Der QR-Code ist eine Grafik. Die Adresse und der sechsstellige Code stehen deshalb immer auch als Text daneben.',
        'Die Stream-Einblendung ist für Videoübertragungen gedacht und erscheint dort als Bild. Dieselben Inhalte stehen auf der Teilnahmeseite als Text zur Verfügung.',
        'Eine Prüfung mit Screenreadern (NVDA, JAWS, VoiceOver, TalkBack) und eine Prüfung durch eine unabhängige Stelle stehen noch aus.',
      ],
    },
    {
      heading: 'Erstellung dieser Erklärung',
      paragraphs: [
        'Diese Erklärung beruht auf einer Selbstbewertung: Jede Änderung an Plenum wird automatisch mit axe-core geprüft und mit der Tastatur allein getestet.',
      ],
      list: [],
    },
    {
      heading: 'Feedback und Kontakt',
      paragraphs: [
        'Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen, oder brauchen Sie Inhalte in einer anderen Form? Dann wenden Sie sich bitte an die Stelle, die diese Veranstaltung ausrichtet. Ihre Kontaktdaten finden Sie in der Einladung oder im Impressum der Veranstaltung.',
      ],
      list: [],
    },
    {
      heading: 'Schlichtungsverfahren',
      paragraphs: [
        'Wenn auch nach Ihrer Rückmeldung keine zufriedenstellende Lösung gefunden wurde, können Sie sich an die Schlichtungsstelle nach § 16 BGG wenden. Sie hat die Aufgabe, bei Konflikten zwischen Menschen mit Behinderungen und öffentlichen Stellen des Bundes eine außergerichtliche Streitbeilegung zu unterstützen. Das Schlichtungsverfahren ist kostenlos; Sie brauchen keinen Rechtsbeistand. Für öffentliche Stellen der Länder sind die Schlichtungs- oder Durchsetzungsstellen des jeweiligen Landes zuständig.',
      ],
      list: [],
    },
  ],
  link: { text: 'Website der Schlichtungsstelle nach dem BGG', href: 'https://www.schlichtungsstelle-bgg.de/' },
};
