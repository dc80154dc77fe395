export { seedAccountWithHistory, unzipEntries, type SeededAccount } from "./export-fixtures";
