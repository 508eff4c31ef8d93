import type { deStatement } from './statement.de';

/** The accessibility statement in English, loaded by accessibility.html only. */
export const enStatement: typeof deStatement = {
  title: 'Accessibility statement',
  sections: [
    {
      heading: '',
      paragraphs: [
        'Whoever runs this Plenum installation strives to make it accessible in accordance with the German Disability Equality Act (BGG) and the Barrier-Free Information Technology Ordinance (BITV 2.0), which implement Directive (EU) 2016/2102.',
        'This statement applies to all pages of Plenum: participation, moderation, projector, stream overlay and organiser.',
      ],
      list: [],
    },
    {
      heading: 'Compliance status',
      paragraphs: ['This application is partially compliant with BITV 2.0 (WCAG 2.1, level AA). The points listed below are not yet fully accessible.'],
      list: [],
    },
    {
      heading: 'What Plenum does for accessibility',
      paragraphs: [],
      list: [
        'Every function can be used with the keyboard alone; the focus is always clearly visible.',
        'Every input field has a visible label; errors are named as text next to the field.',
        'Results are shown as text with count and percentage; the bars are only an addition.',
        'Changes are announced to screen readers through polite live regions, interim results at most every 10 to 15 seconds.',
        'Text and controls meet the contrast requirements; animations are left out with the “reduce motion” setting.',
        'The interface is available in German and English and adapts to narrow screens and zoom.',
        'Plenum loads nothing from third parties: no external fonts, no analytics.',
      ],
    },
    {
      heading: 'Content that is not accessible',
      paragraphs: [],
      list: [
        'The QR code is an image. The address and the six-character code are therefore always shown next to it as text.',
        'The stream overlay is made for video broadcasts, where it appears as part of the picture. The same content is available as text on the participation page.',
        'A test with screen readers (NVDA, JAWS, VoiceOver, TalkBack) and an audit by an independent body are still to be done.',
      ],
    },
    {
      heading: 'Preparation of this statement',
      paragraphs: ['This statement is based on a self-assessment: every change to Plenum is checked automatically with axe-core and tested with the keyboard alone.'],
      list: [],
    },
    {
      heading: 'Feedback and contact',
      paragraphs: [
        'Have you noticed barriers, or do you need content in another form? Please contact the body that runs this event. You find its contact details in the invitation or in the legal notice of the event.',
      ],
      list: [],
    },
    {
      heading: 'Conciliation procedure',
      paragraphs: [
        'If your feedback has not led to a satisfactory solution, you can turn to the conciliation body under section 16 BGG. It helps to settle disputes between people with disabilities and federal public bodies out of court. The procedure is free of charge; you do not need a lawyer. For public bodies of the federal states, the conciliation or enforcement bodies of the respective state are responsible.',
      ],
      list: [],
    },
  ],
  link: { text: 'Website of the conciliation body under the BGG (in German)', href: 'https://www.schlichtungsstelle-bgg.de/' },
};
