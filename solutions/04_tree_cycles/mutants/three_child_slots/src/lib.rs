//! Mutant: stores children in an inline array of 3 slots (the test's fanout) instead of a Vec; a fourth child is silently dropped.
//! Family: sized to the test (an inline array sized to the test's constant).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

/// A node of the tree: a name, its children (owned), and its parent (not
/// owned).
pub struct Node {
    name: String,
    parent: Weak<Node>,
    children: RefCell<[Option<Rc<Node>>; 3]>,
}

impl Node {
    /// A new tree with one node, named `name`, and no parent.
    pub fn new_root(name: &str) -> Rc<Node> {
        Rc::new(Node {
            name: name.to_string(),
            // `Weak::new()` points nowhere and allocates nothing.
            parent: Weak::new(),
            children: RefCell::new([None, None, None]),
        })
    }

    /// Adds a child named `name` as the last child of `parent` and returns it.
    pub fn add_child(parent: &Rc<Node>, name: &str) -> Rc<Node> {
        let child = Rc::new(Node {
            name: name.to_string(),
            parent: Rc::downgrade(parent),
            children: RefCell::new([None, None, None]),
        });
        if let Some(slot) = parent
            .children
            .borrow_mut()
            .iter_mut()
            .find(|s| s.is_none())
        {
            *slot = Some(Rc::clone(&child));
        }
        child
    }

    /// The node's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The node's parent, or `None` for a root (or when the parent no longer
    /// exists).
    pub fn parent(&self) -> Option<Rc<Node>> {
        // A strong reference for as long as the caller holds it, if the
        // parent is still alive.
        self.parent.upgrade()
    }

    /// The child at `index`, if there is one.
    pub fn child(&self, index: usize) -> Option<Rc<Node>> {
        self.children.borrow().get(index).cloned().flatten()
    }

    /// How many children the node has.
    pub fn child_count(&self) -> usize {
        self.children.borrow().iter().flatten().count()
    }

    /// The names from the root down to this node, joined by `/`:
    /// `"root/2/0"`.
    pub fn path(&self) -> String {
        let mut names = vec![self.name.clone()];
        let mut next = self.parent();
        while let Some(node) = next {
            names.push(node.name.clone());
            next = node.parent();
        }
        names.reverse();
        names.join("/")
    }
}

/// Builds a full tree: a root named `"root"` and `depth` levels below it,
/// each node with `fanout` children named `"0"`, `"1"`, ... by position.
pub fn build_tree(depth: usize, fanout: usize) -> Rc<Node> {
    let root = Node::new_root("root");
    grow(&root, depth, fanout);
    root
}

fn grow(node: &Rc<Node>, depth: usize, fanout: usize) {
    if depth == 0 {
        return;
    }
    for i in 0..fanout {
        let child = Node::add_child(node, &i.to_string());
        grow(&child, depth - 1, fanout);
    }
}

/// The number of nodes in the tree below `node`, `node` included.
pub fn count_nodes(node: &Node) -> usize {
    1 + node
        .children
        .borrow()
        .iter()
        .flatten()
        .map(|child| count_nodes(child))
        .sum::<usize>()
}
