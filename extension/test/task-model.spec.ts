import { TaskModel } from "../src/models/task-model";
import { FakeService, TASK } from "./fake-service";

describe("TaskModel", () => {
  it("loads the task, announcing loading and ready", async () => {
    const model = new TaskModel(new FakeService().client(), "pixel-task");
    expect(model.status.state).toBe("idle");
    expect(model.facts).toEqual([]);
    const states: string[] = [];
    model.changed.connect(() => states.push(model.status.state));
    await model.load();
    expect(states).toEqual(["loading", "ready"]);
    expect(model.task?.name).toBe("pixel-task");
    expect(Object.fromEntries(model.facts)["Train sha256"]).toBe(TASK.splits.train.sha256);
  });

  it("reports a failure with the service's message and loads again on retry", async () => {
    const fake = new FakeService();
    fake.failNext("tasks/pixel-task", 503, { message: "starting" });
    const model = new TaskModel(fake.client(), "pixel-task");
    await model.load();
    expect(model.status.state).toBe("error");
    expect(model.status.state === "error" && model.status.message).toMatch(
      /^Could not load task 'pixel-task'\./,
    );
    expect(model.task).toBeNull();
    await model.load();
    expect(model.status.state).toBe("ready");
    expect(model.task?.title).toBe(TASK.title);
  });

  it("keeps the answer of the latest load only", async () => {
    const fake = new FakeService();
    const model = new TaskModel(fake.client(), "pixel-task");
    fake.tasks = [{ ...TASK, title: "first" }];
    const first = model.load();
    fake.tasks = [{ ...TASK, title: "second" }];
    const second = model.load();
    await Promise.all([first, second]);
    expect(model.task?.title).toBe("second");
    expect(model.status.state).toBe("ready");
  });
});
