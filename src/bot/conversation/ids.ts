/** Conversation ids: one place, so that a feature can start another's conversation without importing it. */
export const CONVERSATION = {
  submit: "submit",
  newCase: "newcase",
  editCase: "editcase",
  reject: "reject",
  hearing: "hearing",
  staleReview: "stale-review",
} as const;

/** Where "still true" starts: the case and the status the moderator saw. */
export interface ReviewStart {
  slug: string;
  status: string;
}

/** Where /editcase may start: a name to look up, or (from /translations) the person and field chosen. */
export interface EditStart {
  query?: string;
  slug?: string;
  field?: string;
}
