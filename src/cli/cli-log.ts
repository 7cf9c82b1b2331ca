export { errorText } from '../platform/errors/masked-error-text';

/** A command's log line, one JSON object as the api's and the worker's lines are (the api's and the worker's lines before their logger exists are written by the same writer). */
export { plainLine as cliLog } from '../platform/logging/plain-line';
