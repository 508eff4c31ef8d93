import type { surveyDe } from './survey.de';

/** English texts of a talk's feedback survey; keys as in `survey.de.ts`. */
export const surveyEn: typeof surveyDe = {
  'survey.heading': 'Feedback on the talk “{talk}”',
  'survey.intro': 'Your answers are anonymous. You can change them while the survey is open.',
  'survey.required': '(required)',
  'survey.ratingOf': '{value} of {scale}',
  'survey.chooseUpTo': 'At most {max} answers.',
  'survey.textHint': 'At most {max} characters.',
  'survey.submit': 'Send feedback',
  'survey.resubmit': 'Update feedback',
  'survey.sent': 'Thank you! Your feedback has arrived.',
  'survey.error.required': 'Please answer every required question.',
  'survey.error.closed': 'The survey is closed. Your answers were not saved.',
  'survey.error.invalid': 'One answer is not possible. Please check your input.',
  'survey.error.other': 'The feedback could not be sent. Please try again.',
};
