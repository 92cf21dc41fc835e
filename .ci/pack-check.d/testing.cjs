// @warren/testing for a user with a broker and no Docker: AMQP_URL only, testcontainers not installed.
const assert = require('node:assert/strict');
const { connect } = require('amqplib');
const { startBroker, uniqueName, queueDepth, TestManagementClient } = require('@warren/testing');

async function main() {
  assert.throws(() => require.resolve('testcontainers'), { code: 'MODULE_NOT_FOUND' });
  const broker = await startBroker();
  assert.equal(broker.source, 'env');
  const queue = uniqueName('packcheck');
  const connection = await connect(broker.amqpUrl);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: false, autoDelete: false });
    channel.sendToQueue(queue, Buffer.from('hello'));
    await channel.waitForConfirms();
    assert.equal(await queueDepth(broker.amqpUrl, queue), 1);
    const api = new TestManagementClient(broker.managementUrl);
    assert.equal((await api.queueInfo(queue)).name, queue);
    await channel.deleteQueue(queue);
  } finally {
    await connection.close();
    await broker.stop();
  }
  // A container is asked for: a typed error that says what to install, not a crash on a missing module.
  await assert.rejects(startBroker({ mode: 'container', env: {} }), (error) => {
    assert.equal(error.code, 'NO_TEST_BROKER');
    assert.match(error.message, /npm i -D testcontainers/);
    return true;
  });
  console.log(`testing: startBroker() used ${broker.source} broker; queue ${queue} declared, counted, deleted`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
