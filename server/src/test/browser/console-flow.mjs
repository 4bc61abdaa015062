// The console's end-to-end flow in headless Chromium, for ConsoleBrowserIT:
//   node console-flow.mjs <sluice endpoint> <screenshot folder> <fresh user-data-dir>
// Prints one line per step; exits 0 when every step saw what it expected, 1 naming the step that did not.
import { chromium } from "playwright-core";

const [base, shots, profile] = process.argv.slice(2);
const step = (name) => console.log(`step: ${name}`);
const STREAM = "console-demo";
const HTTP_STREAM = "console-http";

const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  // The profile folder is the fresh --user-data-dir; Playwright adds its own flags (the pipe it drives through).
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
  viewport: { width: 1280, height: 900 },
});
let failed = false;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  const shot = (name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  const expectText = async (selector, text) => {
    await page.locator(selector, { hasText: text }).first().waitFor();
  };

  step("unauthenticated: sent to sign-in");
  await page.goto(`${base}/console/streams`);
  if (!page.url().endsWith("/console/sign-in")) throw new Error(`not sent to sign-in: ${page.url()}`);

  step("a wrong secret is refused");
  await page.fill("input[name=AccessKeyId]", "test");
  await page.fill("input[name=SecretAccessKey]", "wrong");
  await page.click("button[type=submit]");
  await expectText("p.error", "The access key or its secret is not valid.");
  await shot("sign-in");

  step("sign in");
  await page.fill("input[name=SecretAccessKey]", "test");
  await page.click("main button[type=submit]");
  await expectText("h1", "Delivery streams");

  step("create: a validation error first");
  await page.click("text=Create delivery stream");
  await page.fill("input[name=DeliveryStreamName]", "bad name!");
  await page.fill("input[name=BucketARN]", "arn:aws:s3:::console-demo");
  await page.fill("input[name=SizeInMBs]", "1");
  await page.fill("input[name=IntervalInSeconds]", "0");
  await page.fill("textarea[name=Tags]", "team=data");
  await page.click("main button[type=submit]");
  await expectText("#DeliveryStreamName-error", "failed to satisfy constraint");
  await shot("create-validation");

  step("create");
  await page.fill("input[name=DeliveryStreamName]", STREAM);
  await page.click("main button[type=submit]");
  await expectText("h1", STREAM);
  await page.waitForFunction(() => !document.body.innerText.includes("CREATING"), null, { timeout: 20_000 })
    .catch(() => undefined);
  await page.reload();

  step("demo data: start, then the first object lands and the graph has points");
  await page.click("text=Start demo data");
  await expectText(".running", "Running since");
  await page.locator("p.object").waitFor({ timeout: 90_000 });
  await page.waitForFunction(() => {
    const chart = [...document.querySelectorAll("figure.chart")]
      .find((f) => f.querySelector("figcaption").textContent === "Incoming records");
    return chart && [...chart.querySelectorAll("circle title")].some((t) => !t.textContent.endsWith(" UTC: 0"));
  }, null, { timeout: 30_000 });
  const object = await page.locator("pre.object-body").textContent();
  if (!object.includes("\"ticker_symbol\"")) throw new Error(`the object shown is not demo data: ${object}`);
  await shot("stream");

  step("demo data: stop");
  await page.click("text=Stop demo data");
  await expectText("button", "Start demo data");

  step("tags: add one, then remove it");
  await page.fill("form.add-tag input[name=Key]", "owner");
  await page.fill("form.add-tag input[name=Value]", "ops");
  await page.click("form.add-tag button");
  await expectText("table.tags td", "owner");
  await shot("tags");
  await page.click("button[aria-label='Remove tag owner']");
  await expectText("table.tags td", "team");
  if ((await page.locator("button[aria-label='Remove tag owner']").count()) !== 0) {
    throw new Error("the removed tag is still shown");
  }

  step("edit: refused, then saved");
  await page.click("text=Edit destination");
  await page.fill("input[name=SizeInMBs]", "500");
  await page.click("main button[type=submit]");
  await expectText("#SizeInMBs-error", "Member must have value less than or equal to 128");
  await shot("edit-validation");
  await page.fill("input[name=SizeInMBs]", "2");
  await page.click("main button[type=submit]");
  await expectText("h1", STREAM);
  await expectText(".config dd", "2");

  step("streams list");
  await page.goto(`${base}/console/streams`);
  await expectText("table.streams a", STREAM);
  await shot("streams");

  step("create an HTTP endpoint stream: a validation error first");
  await page.goto(`${base}/console/streams/new`);
  await page.locator("nav.choices a", { hasText: "HTTP endpoint" }).click();
  await page.fill("input[name=DeliveryStreamName]", HTTP_STREAM);
  await page.fill("input[name=Url]", "http://plain.example.com/");
  await page.fill("input[name=AccessKey]", "console-access-key");
  await page.fill("input[name=BackupBucketARN]", "arn:aws:s3:::console-http-backup");
  await page.click("main button[type=submit]");
  await expectText("#Url-error", "Member must satisfy regular expression pattern: https://");
  if ((await page.content()).includes("console-access-key")) throw new Error("the access key was echoed");
  await shot("create-http-validation");

  step("create an HTTP endpoint stream");
  await page.fill("input[name=Url]", "https://127.0.0.1:1/ingest");
  await page.fill("input[name=AccessKey]", "console-access-key");
  await page.click("main button[type=submit]");
  await expectText("h1", HTTP_STREAM);
  await expectText(".config dd", "https://127.0.0.1:1/ingest");

  step("delete with confirmation");
  await page.goto(`${base}/console/streams/${STREAM}/delete`);
  await page.fill("input[name=confirm]", STREAM);
  await shot("delete");
  page.once("dialog", (dialog) => dialog.accept());
  await page.click("main button[type=submit]");
  await expectText("h1", "Delivery streams");
  console.log("all steps passed");
} catch (e) {
  failed = true;
  console.log(`failed: ${e.message}`);
} finally {
  await context.close();
}
process.exit(failed ? 1 : 0);
