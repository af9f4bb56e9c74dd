/** One page of a list: its items, which page it is (from 0), how many pages there are, how many items in all. */
export interface Page<T> {
  items: T[];
  page: number;
  pages: number;
  total: number;
}

/** How many pages `total` items fill, `pageSize` a page: at least one, so that an empty list has its page. */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** The page to show (from 0) of `pages`: one out of range (an old button) is the nearest one. */
export function clampPage(page: number, pages: number): number {
  return Math.min(Math.max(0, Math.trunc(page)), pages - 1);
}
