// Fails fast, with a message that says what to do, when npm scripts run on the wrong Node.js.
// The project installs Node 24 itself (the `node` devDependency puts it first on the PATH of npm
// scripts), so this only trips when someone runs a script outside npm or before `npm ci`.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  console.error(
    `cloud-data-operator needs Node.js 24 LTS, but this is ${process.version}. ` +
      'Run `npm ci` first: it installs Node 24 into node_modules/.bin, which npm scripts use.',
  );
  process.exit(1);
}
console.log(`node ${process.version}`);
