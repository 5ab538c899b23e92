// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies, and dark enough
// on white. Every chart, PPTX chart and legend uses these names.
export const C = {
  blue: '#0072B2', orange: '#E69F00', green: '#009E73', sky: '#56B4E9',
  vermillion: '#D55E00', purple: '#CC79A7', grey: '#6E6E6E', black: '#1D2733',
};

// Incomplete reasons (SPEC §8 names, the API's keys) in display order with their colours.
export const REASONS: { key: string; color: string }[] = [
  { key: 'busy', color: C.vermillion }, { key: 'no_answer', color: C.orange }, { key: 'abandoned', color: C.purple },
  { key: 'out_of_hours', color: C.sky }, { key: 'area_restricted', color: C.green }, { key: 'congestion', color: C.blue },
  { key: 'other', color: C.grey },
];
