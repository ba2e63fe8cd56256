/** What every id in a room name or a note looks like: packets, groups, users, annotations. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
