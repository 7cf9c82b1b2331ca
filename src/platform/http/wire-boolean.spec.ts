import 'reflect-metadata';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { IsBoolean } from 'class-validator';
import { AppError } from '../errors/app-error';
import { bodyParserMiddleware } from './body-parser.middleware';
import { validateBody } from './validate-body';
import { WireBoolean } from './wire-boolean';

class Settings {
  @WireBoolean() @IsBoolean() customerDepartmentalization: boolean;
}

/** The body as a controller gets it: read by the body parser from these bytes. */
function bodyOf(contentType: string, text: string): Promise<unknown> {
  const req = Object.assign(Readable.from([Buffer.from(text)]), {
    headers: { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)) },
    method: 'POST',
    url: '/',
  }) as unknown as Request;
  return new Promise((resolve, reject) => bodyParserMiddleware(4096)(req, {} as Response, (err?: unknown) => (err === undefined ? resolve(req.body) : reject(err))));
}

function multipartXml(xml: string): string {
  return `--b\r\nContent-Disposition: form-data; name="d"\r\nContent-Type: text/xml\r\n\r\n${xml}\r\n--b--\r\n`;
}

async function setting(contentType: string, text: string): Promise<unknown> {
  try {
    return validateBody(Settings, await bodyOf(contentType, text)).customerDepartmentalization;
  } catch (e) {
    return e instanceof AppError ? e.kind : e;
  }
}

const xmlSetting = (value: string) => `<settings><customerDepartmentalization>${value}</customerDepartmentalization></settings>`;
const jsonSetting = (value: string) => `{"customerDepartmentalization":${value}}`;

describe('booleans on the wire', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['1', true],
    ['0', false],
    [' 1\n', true],
  ])('reads xsd:boolean %j in an XML body', async (text, expected) => {
    expect(await setting('application/xml', xmlSetting(text))).toBe(expected);
    expect(await setting('text/xml', xmlSetting(text))).toBe(expected);
    expect(await setting('multipart/form-data; boundary=b', multipartXml(xmlSetting(text)))).toBe(expected);
  });

  it.each(['yes', 'TRUE', '2', '', '1 0'])('refuses %j in an XML body', async (text) => {
    expect(await setting('application/xml', xmlSetting(text))).toBe('BodyInvalid');
  });

  it.each([
    ['true', true],
    ['false', false],
    ['"true"', true],
    ['"false"', false],
  ])('reads %s in a JSON body', async (json, expected) => {
    expect(await setting('application/json', jsonSetting(json))).toBe(expected);
  });

  it.each(['1', '0', '"1"', '"0"', '" true"'])('refuses %s in a JSON body, where booleans have a type of their own', async (json) => {
    expect(await setting('application/json', jsonSetting(json))).toBe('BodyInvalid');
  });
});
