// Drives the real npm piston-client against a codeexec server and prints what it got, as JSON, for
// CompatEndToEndIT to check. Usage: node check.mjs http://localhost:PORT
import piston from 'piston-client';

const client = piston({ server: process.argv[2] });
const out = {};
out.runtimes = await client.runtimes();
out.python = await client.execute('python', 'import sys\nprint("Hello from", sys.argv[1:])');
out.stdin = await client.execute({ language: 'javascript', files: [{ content:
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(s.trim().toUpperCase()))' }],
    stdin: 'shout', args: [] });
out.compileError = await client.execute('c', 'int main( { return 0; }');
out.unknown = await client.execute({ language: 'cobol', version: '*', files: [{ content: 'x' }] });
console.log(JSON.stringify(out));
