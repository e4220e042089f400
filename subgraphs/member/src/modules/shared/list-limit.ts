/** The most rows one member returns for one list field. */
export const MAX_LIST = 1000;
