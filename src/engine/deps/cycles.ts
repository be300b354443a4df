/**
 * The strongly connected components of a directed graph that contain a cycle (more than one node,
 * or one node with an edge to itself), by Tarjan's algorithm. Iterative, so a long import chain
 * cannot overflow the stack; nodes are visited in the given order, so the output is deterministic.
 */
export function cyclicComponents<T>(nodes: Iterable<T>, successors: (node: T) => Iterable<T>): T[][] {
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const onStack = new Set<T>();
  const stack: T[] = [];
  const components: T[][] = [];
  let counter = 0;

  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: { node: T; next: Iterator<T> }[] = [];
    const enter = (node: T): void => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: successors(node)[Symbol.iterator]() });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const step = frame.next.next();
      if (!step.done) {
        const to = step.value;
        if (!index.has(to)) enter(to);
        else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: T[] = [];
      let member: T;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = component.length === 1 && [...successors(frame.node)].includes(frame.node);
      if (component.length > 1 || selfLoop) components.push(component.reverse());
    }
  }
  return components;
}

/**
 * One shortest cycle through `start` that stays inside `component`: the path from `start` back to
 * itself, `start` first and not repeated at the end. A component may hold many cycles; this one
 * names it in the fewest steps.
 */
export function shortestCycle<T>(
  start: T,
  component: ReadonlySet<T>,
  successors: (node: T) => Iterable<T>,
): T[] {
  const previous = new Map<T, T>();
  const queue: T[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const to of successors(node)) {
      if (!component.has(to)) continue;
      if (to === start) {
        const path = [node];
        for (let at = node; at !== start; ) {
          at = previous.get(at)!;
          path.push(at);
        }
        return path.reverse();
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start];
}
