/**
 * The one place that loads @peculiar/x509 (X.509 building and parsing over WebCrypto; no
 * home-made ASN.1 here). Every other file in contract/tls/ imports the library from this file.
 *
 * Version 2 of the library resolves its algorithm table through tsyringe, which throws at load
 * time unless the Reflect metadata API exists; the library's README asks the application to load
 * a polyfill first. ES modules evaluate imports in order, so this import must stay above the next.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';

export * from '@peculiar/x509';

/**
 * Node's WebCrypto, passed to every library call instead of setting the library's global
 * provider, so nothing here depends on what else in the process set it to. Node's type and the
 * DOM `Crypto` the library declares are the same API spelled by two type packages.
 */
export const webCrypto = webcrypto as unknown as Crypto;
