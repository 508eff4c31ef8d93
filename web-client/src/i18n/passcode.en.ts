import type { passcodeDe } from './passcode.de';

/** English texts for a closed event's passcode; keys as in `passcode.de.ts`. */
export const passcodeEn: typeof passcodeDe = {
  'passcode.heading': 'Enter the passcode',
  'passcode.intro': 'This event is closed. Please enter the passcode from your invitation.',
  'passcode.label': 'Passcode',
  'passcode.hint': 'Upper and lower case count. The passcode is kept until you close this tab.',
  'passcode.submit': 'Continue',
  'passcode.back': 'Enter another stage code',
  'passcode.error.empty': 'Please enter the passcode.',
  'passcode.error.wrong': 'This passcode is not right. Please check it.',
  'passcode.error.limited': 'Too many wrong attempts from your network. Please wait {seconds} seconds.',
  'passcode.changed': 'The passcode was changed. Please enter the new one.',
  'passcode.organiser.heading': 'Passcode',
  'passcode.organiser.intro':
    'With a passcode the event is closed: participants must enter it before they see anything. Moderators and organisers do not need it.',
  'passcode.organiser.label': 'Passcode (4 to 64 characters)',
  'passcode.organiser.save': 'Save passcode',
  'passcode.organiser.remove': 'Remove passcode',
  'passcode.organiser.open': 'Open: anyone with the link or code can take part.',
  'passcode.organiser.closed': 'Closed: only with the passcode.',
  'passcode.organiser.saved': 'Passcode saved.',
  'passcode.organiser.removed': 'Passcode removed. The event is open.',
  'passcode.organiser.error.length': 'The passcode has 4 to 64 characters.',
};
